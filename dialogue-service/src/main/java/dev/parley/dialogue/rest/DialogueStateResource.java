package dev.parley.dialogue.rest;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.dialogue.service.BotVersionMove;
import dev.parley.dialogue.service.DialogueService;
import io.smallrye.common.annotation.Blocking;

/**
 * Internal API for the gateway: a conversation's dialogue state, and human handoff. While a conversation is
 * handed off the bot stays silent; releasing it gives it back to the bot.
 */
@Path("/internal/tenants/{tenantId}/conversations/{conversationId}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DialogueStateResource {

    public record HandoffRequest(@Size(max = 200) String reason) {
    }

    public record HandoffStatus(String conversationId, String status) {
    }

    @Inject
    DialogueService dialogue;
    @Inject
    BotVersionMove moves;

    @GET
    @Path("/dialogue")
    public Map<String, Object> get(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId) throws SQLException {
        return dialogue.describe(tenantId, id(conversationId)).orElseThrow(() -> notFound(conversationId));
    }

    @POST
    @Path("/handoff")
    @Consumes(MediaType.APPLICATION_JSON)
    public HandoffStatus handOff(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, HandoffRequest request) throws SQLException {
        String reason = request == null || request.reason() == null ? "api" : request.reason();
        return new HandoffStatus(conversationId, dialogue.setHandoff(tenantId, id(conversationId), true, reason)
                .orElseThrow(() -> notFound(conversationId)));
    }

    @DELETE
    @Path("/handoff")
    public HandoffStatus release(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId) throws SQLException {
        return new HandoffStatus(conversationId, dialogue.setHandoff(tenantId, id(conversationId), false, "api")
                .orElseThrow(() -> notFound(conversationId)));
    }

    public record BotVersionRequest(@NotNull @Min(1) Integer version) {
    }

    @POST
    @Path("/bot-version")
    @Consumes(MediaType.APPLICATION_JSON)
    public BotVersionMove.Moved moveBotVersion(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, @Valid @NotNull BotVersionRequest request)
            throws SQLException {
        return moves.move(tenantId, id(conversationId), request.version());
    }

    private static UUID id(String conversationId) {
        try {
            return UUID.fromString(conversationId);
        } catch (IllegalArgumentException e) {
            throw notFound(conversationId);
        }
    }

    private static ProblemException notFound(String conversationId) {
        return new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId
                + " has talked to a bot of this tenant");
    }
}
