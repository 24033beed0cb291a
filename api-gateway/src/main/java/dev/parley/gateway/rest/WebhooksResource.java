package dev.parley.gateway.rest;

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
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.WebhookService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/webhooks")
@Tag(name = "Webhooks", description = "Endpoints that receive conversation events, signed per Standard Webhooks 1.0. Scope webhooks:manage.")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhooksResource {

    @Inject
    WebhookService webhooks;

    @POST
    @Operation(summary = "Register an endpoint", description = "Answers 201 with the endpoint and its signing secret (whsec_...), which is shown only here.")
    @APIResponse(responseCode = "201", description = "Created; holds `secret`")
    @APIResponse(responseCode = "400", description = "Bad URL (not http(s), or resolving to an internal address) or event filter")
    public Response create(@NotNull @Valid WebhookBodies.Create request, @Context ContainerRequestContext context) {
        JsonNode created = webhooks.create(AuthenticationFilter.caller(context), request);
        return Response.status(201).header("Location", "/v1/webhooks/" + created.path("id").asText()).entity(created).build();
    }

    @GET
    @Operation(summary = "The tenant's endpoints")
    public JsonNode list(@Context ContainerRequestContext context) {
        return webhooks.list(AuthenticationFilter.caller(context));
    }

    @GET
    @Path("/{id}")
    public JsonNode get(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        return webhooks.get(AuthenticationFilter.caller(context), id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change the URL, event filters, description, rate limit or ordering; absent fields stay")
    public JsonNode update(@PathParam("id") @Size(max = 64) String id, @NotNull @Valid WebhookBodies.Update request,
            @Context ContainerRequestContext context) {
        return webhooks.update(AuthenticationFilter.caller(context), id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        webhooks.delete(AuthenticationFilter.caller(context), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    public JsonNode enable(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        return webhooks.enable(AuthenticationFilter.caller(context), id, true);
    }

    @POST
    @Path("/{id}/disable")
    @Operation(summary = "Stop deliveries; pending ones fail and can be recovered after enabling")
    public JsonNode disable(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        return webhooks.enable(AuthenticationFilter.caller(context), id, false);
    }

    @POST
    @Path("/{id}/rotate-secret")
    @Operation(summary = "New signing secret; the previous one keeps signing too during the grace period")
    public JsonNode rotate(@PathParam("id") @Size(max = 64) String id, @Valid WebhookBodies.RotateSecret request,
            @Context ContainerRequestContext context) {
        return webhooks.rotateSecret(AuthenticationFilter.caller(context), id, request);
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send a webhook.ping now and report the first attempt")
    public JsonNode test(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        return webhooks.test(AuthenticationFilter.caller(context), id);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The delivery log, newest first", description = "Filter by status (pending, succeeded, failed), eventType and creation time (since inclusive, until exclusive, ISO-8601). Page with nextCursor.")
    public JsonNode deliveries(@PathParam("id") @Size(max = 64) String id,
            @QueryParam("status") @Size(max = 16) String status, @QueryParam("eventType") @Size(max = 128) String eventType,
            @QueryParam("since") @Size(max = 40) String since, @QueryParam("until") @Size(max = 40) String until,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @Context ContainerRequestContext context) {
        return webhooks.deliveries(AuthenticationFilter.caller(context), id, status, eventType, since, until, cursor, limit);
    }

    @GET
    @Path("/{id}/deliveries/{deliveryId}")
    @Operation(summary = "One delivery with its payload and every attempt (status code, duration, response excerpt)")
    public JsonNode delivery(@PathParam("id") @Size(max = 64) String id,
            @PathParam("deliveryId") @Size(max = 64) String deliveryId, @Context ContainerRequestContext context) {
        return webhooks.delivery(AuthenticationFilter.caller(context), id, deliveryId);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/replay")
    @Operation(summary = "Send a delivery again (same webhook-id), with a fresh retry schedule")
    public Response replay(@PathParam("id") @Size(max = 64) String id,
            @PathParam("deliveryId") @Size(max = 64) String deliveryId, @Context ContainerRequestContext context) {
        return Response.status(202).entity(webhooks.replay(AuthenticationFilter.caller(context), id, deliveryId)).build();
    }

    @POST
    @Path("/{id}/recover")
    @Operation(summary = "Send every failed delivery since a time again")
    public Response recover(@PathParam("id") @Size(max = 64) String id, @NotNull @Valid WebhookBodies.Recover request,
            @Context ContainerRequestContext context) {
        return Response.status(202).entity(webhooks.recover(AuthenticationFilter.caller(context), id, request)).build();
    }
}
