package dev.parley.webhook.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.webhook.service.DeliveryLogService;
import dev.parley.webhook.service.SubscriptionService;
import io.smallrye.common.annotation.Blocking;

/** Internal API behind the gateway's {@code /v1/webhooks}; the tenant comes from the path the gateway fills in. */
@Path("/internal/tenants/{tenantId}/webhooks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhookResource {

    @Inject
    SubscriptionService subscriptions;
    @Inject
    DeliveryLogService log;

    @POST
    @Operation(summary = "Register an endpoint; the answer holds its signing secret, shown this once")
    public Response create(@PathParam("tenantId") String tenantId, @NotNull @Valid Api.CreateSubscription request) {
        var created = subscriptions.create(tenantId, request);
        return Response.status(201).entity(created).build();
    }

    @GET
    public Api.SubscriptionList list(@PathParam("tenantId") String tenantId) {
        return subscriptions.list(tenantId);
    }

    @GET
    @Path("/{id}")
    public Api.SubscriptionView get(@PathParam("tenantId") String tenantId, @PathParam("id") String id) {
        return subscriptions.get(tenantId, id);
    }

    @PATCH
    @Path("/{id}")
    public Api.SubscriptionView update(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @NotNull @Valid Api.UpdateSubscription request) {
        return subscriptions.update(tenantId, id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("id") String id) {
        subscriptions.delete(tenantId, id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    public Api.SubscriptionView enable(@PathParam("tenantId") String tenantId, @PathParam("id") String id) {
        return subscriptions.enable(tenantId, id);
    }

    @POST
    @Path("/{id}/disable")
    public Api.SubscriptionView disable(@PathParam("tenantId") String tenantId, @PathParam("id") String id) {
        return subscriptions.disable(tenantId, id);
    }

    @POST
    @Path("/{id}/rotate-secret")
    public Api.SecretRotated rotate(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @Valid Api.RotateSecret request) {
        return subscriptions.rotateSecret(tenantId, id, request);
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send a webhook.ping and report the first attempt")
    public Api.TestResult test(@PathParam("tenantId") String tenantId, @PathParam("id") String id) {
        return subscriptions.test(tenantId, id);
    }

    @GET
    @Path("/{id}/deliveries")
    public Api.DeliveryPage deliveries(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @QueryParam("status") String status, @QueryParam("eventType") @Size(max = 128) String eventType,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return log.list(tenantId, id, status, eventType, time("since", since), time("until", until), cursor, limit);
    }

    @GET
    @Path("/{id}/deliveries/{deliveryId}")
    public Api.DeliveryDetail delivery(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @PathParam("deliveryId") String deliveryId) {
        return log.get(tenantId, id, deliveryId);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/replay")
    public Response replay(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @PathParam("deliveryId") String deliveryId) {
        return Response.status(202).entity(log.replay(tenantId, id, deliveryId)).build();
    }

    @POST
    @Path("/{id}/recover")
    public Response recover(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @NotNull @Valid Api.Recover request) {
        return Response.status(202).entity(log.recover(tenantId, id, request.since())).build();
    }

    private static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, name + ": an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
