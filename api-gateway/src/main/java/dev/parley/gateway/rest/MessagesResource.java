package dev.parley.gateway.rest;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.ConversationService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/messages")
@Tag(name = "Messages")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MessagesResource {

    @Inject
    ConversationService conversations;

    @POST
    @Operation(summary = "Send a user message and get the bot's answer", description = "Waits a bounded time for the reply. If the bot takes longer, answers 202 with the message id: the message is accepted and the reply arrives in the history and event streams.")
    @APIResponse(responseCode = "200", description = "The bot's answer", content = @Content(schema = @Schema(implementation = Api.MessageReply.class)))
    @APIResponse(responseCode = "202", description = "Accepted; the reply comes later", content = @Content(schema = @Schema(implementation = Api.MessageAccepted.class)))
    @APIResponse(responseCode = "404", description = "Unknown session (problem+json)")
    @APIResponse(responseCode = "410", description = "Session expired (problem+json)")
    public Response send(@NotNull @Valid Api.SendMessage request, @Context ContainerRequestContext context) {
        Object result = conversations.send(AuthenticationFilter.caller(context), request);
        return Response.status(result instanceof Api.MessageAccepted ? 202 : 200).entity(result).build();
    }
}
