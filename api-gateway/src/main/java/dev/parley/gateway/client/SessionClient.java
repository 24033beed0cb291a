package dev.parley.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** session-service's internal API. */
@RegisterRestClient(configKey = "session")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}")
public interface SessionClient {

    record OpenSession(String userId, String botId, String conversationId) {
    }

    @POST
    @Path("/sessions")
    SessionInfo open(@PathParam("tenantId") String tenantId, OpenSession request);

    @GET
    @Path("/sessions/{sessionId}")
    SessionInfo session(@PathParam("tenantId") String tenantId, @PathParam("sessionId") String sessionId);

    @GET
    @Path("/conversations/{conversationId}")
    ConversationInfo.WithPage conversation(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, @QueryParam("limit") int limit);

    @GET
    @Path("/conversations/{conversationId}/messages")
    TranscriptPage messages(@PathParam("tenantId") String tenantId, @PathParam("conversationId") String conversationId,
            @QueryParam("before") String before, @QueryParam("after") String after, @QueryParam("limit") int limit);
}
