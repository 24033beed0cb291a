package dev.parley.gateway.rest;

import java.net.URI;

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

@Path("/v1/sessions")
@Tag(name = "Sessions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SessionsResource {

    @Inject
    ConversationService conversations;

    @POST
    @Operation(summary = "Open a session for a user", description = "Starts a new conversation with the bot, or resumes the user's conversation given by conversationId.")
    @APIResponse(responseCode = "201", description = "Session opened", content = @Content(schema = @Schema(implementation = Api.SessionCreated.class)))
    @APIResponse(responseCode = "404", description = "Unknown bot or conversation (problem+json)")
    public Response create(@NotNull @Valid Api.CreateSession request, @Context ContainerRequestContext context) {
        var created = conversations.createSession(AuthenticationFilter.caller(context), request);
        return Response.created(URI.create("/v1/conversations/" + created.conversationId())).entity(created).build();
    }
}
