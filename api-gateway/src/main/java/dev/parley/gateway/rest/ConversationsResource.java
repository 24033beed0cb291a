package dev.parley.gateway.rest;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.ConversationService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/conversations/{conversationId}")
@Tag(name = "Conversations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConversationsResource {

    @Inject
    ConversationService conversations;
    @Inject
    dev.parley.gateway.service.UserService lifecycle;

    public record CloseConversation(
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Your label for how it ended, e.g. resolved") @Size(max = 64) String outcome) {
    }

    @jakarta.ws.rs.POST
    @Path("/close")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close the conversation (announces conversation.ended)")
    public java.util.Map<String, Object> close(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @jakarta.validation.Valid CloseConversation body, @Context ContainerRequestContext context) {
        return lifecycle.close(AuthenticationFilter.caller(context), conversationId, body == null ? null : body.outcome());
    }

    @jakarta.ws.rs.POST
    @Path("/reopen")
    @Operation(summary = "Reopen a closed conversation")
    public java.util.Map<String, Object> reopen(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @Context ContainerRequestContext context) {
        return lifecycle.reopen(AuthenticationFilter.caller(context), conversationId);
    }

    @GET
    @Operation(summary = "A conversation and the newest page of its history")
    public Api.Conversation get(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @Context ContainerRequestContext context) {
        return conversations.conversation(AuthenticationFilter.caller(context), conversationId, limit);
    }

    @GET
    @Path("/messages")
    @Operation(summary = "Page through a conversation's history", description = "Without a cursor: the newest messages. 'before': the page just older than that cursor; 'after': the page just newer. Messages are oldest first within a page; cursors are opaque.")
    public Api.MessagesPage messages(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @QueryParam("before") @Size(max = 200) String before, @QueryParam("after") @Size(max = 200) String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @Context ContainerRequestContext context) {
        return conversations.messages(AuthenticationFilter.caller(context), conversationId, before, after, limit);
    }
}
