package dev.parley.gateway.client;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

/** webhook-service's internal API. Bodies pass through as JSON: webhook-service owns their shape. */
@RegisterRestClient(configKey = "webhook")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}/webhooks")
public interface WebhookClient {

    @POST
    JsonNode create(@PathParam("tenantId") String tenantId, Object request);

    @GET
    JsonNode list(@PathParam("tenantId") String tenantId);

    @GET
    @Path("/{id}")
    JsonNode get(@PathParam("tenantId") String tenantId, @PathParam("id") String id);

    @PATCH
    @Path("/{id}")
    JsonNode update(@PathParam("tenantId") String tenantId, @PathParam("id") String id, Object request);

    @DELETE
    @Path("/{id}")
    void delete(@PathParam("tenantId") String tenantId, @PathParam("id") String id);

    @POST
    @Path("/{id}/{action}")
    JsonNode action(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @PathParam("action") String action, Object request);

    @GET
    @Path("/{id}/deliveries")
    JsonNode deliveries(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @QueryParam("status") String status, @QueryParam("eventType") String eventType,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("cursor") String cursor,
            @QueryParam("limit") int limit);

    @GET
    @Path("/{id}/deliveries/{deliveryId}")
    JsonNode delivery(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @PathParam("deliveryId") String deliveryId);

    @POST
    @Path("/{id}/deliveries/{deliveryId}/replay")
    JsonNode replay(@PathParam("tenantId") String tenantId, @PathParam("id") String id,
            @PathParam("deliveryId") String deliveryId);
}
