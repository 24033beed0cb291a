package dev.parley.gateway.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** dialogue-service's internal API for a conversation's dialogue state and human handoff. */
@RegisterRestClient(configKey = "dialogue")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}/conversations/{conversationId}")
public interface HandoffClient {

    record HandoffRequest(String reason) {
    }

    record HandoffStatus(String conversationId, String status) {
    }

    @GET
    @Path("/dialogue")
    Map<String, Object> dialogue(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId);

    @POST
    @Path("/handoff")
    @Consumes(MediaType.APPLICATION_JSON)
    HandoffStatus handOff(@PathParam("tenantId") String tenantId, @PathParam("conversationId") String conversationId,
            HandoffRequest request);

    record BotVersionRequest(int version) {
    }

    record BotVersionMoved(String conversationId, String botId, int botVersion, int previousVersion) {
    }

    @POST
    @Path("/bot-version")
    @Consumes(MediaType.APPLICATION_JSON)
    BotVersionMoved moveBotVersion(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, BotVersionRequest request);

    @DELETE
    @Path("/handoff")
    HandoffStatus release(@PathParam("tenantId") String tenantId, @PathParam("conversationId") String conversationId);
}
