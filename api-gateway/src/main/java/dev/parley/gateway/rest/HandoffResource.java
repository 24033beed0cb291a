package dev.parley.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.client.HandoffClient;
import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.HandoffService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/conversations/{conversationId}")
@Tag(name = "Conversations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class HandoffResource {

    public record HandoffRequest(@Size(max = 200) String reason) {
    }

    @Inject
    HandoffService handoff;

    @GET
    @Path("/dialogue")
    @Operation(summary = "The conversation's dialogue state", description = "Status (active or handoff), the running flow and its slots, turns and misses.")
    public Map<String, Object> dialogue(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @Context ContainerRequestContext context) {
        return handoff.dialogue(AuthenticationFilter.caller(context), conversationId);
    }

    @POST
    @Path("/handoff")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hand the conversation to a human", description = "The bot stays silent until the handoff is released; a handoff.requested event is published.")
    public HandoffClient.HandoffStatus handOff(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @Valid HandoffRequest request, @Context ContainerRequestContext context) {
        return handoff.handOff(AuthenticationFilter.caller(context), conversationId,
                request == null ? null : request.reason());
    }

    public record BotVersionRequest(
            @Schema(description = "A published version of the conversation's bot", examples = "2") @NotNull @Min(1) Integer version) {
    }

    @POST
    @Path("/bot-version")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move the conversation to another published version of its bot", description = "A conversation stays on the bot version it started with when a new version is published; this moves it, and its next turn is answered by that version. Scope bots:manage.")
    @APIResponse(responseCode = "200", description = "Moved")
    @APIResponse(responseCode = "404", description = "conversation_not_found or bot_version_not_found (problem+json)")
    @APIResponse(responseCode = "409", description = "bot_version_not_published: the version is a draft (problem+json)")
    public HandoffClient.BotVersionMoved moveBotVersion(
            @PathParam("conversationId") @Size(max = 64) String conversationId,
            @NotNull @Valid BotVersionRequest request, @Context ContainerRequestContext context) {
        return handoff.moveBotVersion(AuthenticationFilter.caller(context), conversationId, request.version());
    }

    @DELETE
    @Path("/handoff")
    @Operation(summary = "Give the conversation back to the bot", description = "A handoff.released event is published.")
    public HandoffClient.HandoffStatus release(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @Context ContainerRequestContext context) {
        return handoff.release(AuthenticationFilter.caller(context), conversationId);
    }
}
