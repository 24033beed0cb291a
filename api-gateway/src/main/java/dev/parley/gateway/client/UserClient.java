package dev.parley.gateway.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * session-service's internal API for users, erasures, the conversation lifecycle, analytics aggregates and
 * retention. Bodies pass through as JSON trees: session-service owns their shape. Streamed exports do not go
 * through here but through {@link ExportStreams}.
 */
@RegisterRestClient(configKey = "users")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}")
public interface UserClient {

    record UserBody(Map<String, Object> attributes) {
    }

    @GET
    @Path("/users/{userId}")
    Map<String, Object> user(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId);

    @PUT
    @Path("/users/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response putUser(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId, UserBody body);

    @PATCH
    @Path("/users/{userId}")
    @Consumes("application/merge-patch+json")
    Map<String, Object> patchUser(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId,
            UserBody body);

    @POST
    @Path("/users/{userId}/erasures")
    Map<String, Object> erase(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId);

    @GET
    @Path("/users/{userId}/erasures/{erasureId}")
    Map<String, Object> erasureOfUser(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId,
            @PathParam("erasureId") String erasureId);

    @GET
    @Path("/erasures/{erasureId}")
    Map<String, Object> erasure(@PathParam("tenantId") String tenantId, @PathParam("erasureId") String erasureId);

    @GET
    @Path("/conversations")
    Map<String, Object> conversations(@PathParam("tenantId") String tenantId, @QueryParam("userId") String userId,
            @QueryParam("status") String status, @QueryParam("botId") String botId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    record Close(String outcome) {
    }

    @POST
    @Path("/conversations/{conversationId}/close")
    @Consumes(MediaType.APPLICATION_JSON)
    Map<String, Object> close(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, Close body);

    @POST
    @Path("/conversations/{conversationId}/reopen")
    Map<String, Object> reopen(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId);

    @GET
    @Path("/analytics/summary")
    Map<String, Object> summary(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to);

    record RetentionBody(Integer days) {
    }

    @GET
    @Path("/retention")
    Map<String, Object> retention(@PathParam("tenantId") String tenantId);

    @PUT
    @Path("/retention")
    @Consumes(MediaType.APPLICATION_JSON)
    Map<String, Object> setRetention(@PathParam("tenantId") String tenantId, RetentionBody body);
}
