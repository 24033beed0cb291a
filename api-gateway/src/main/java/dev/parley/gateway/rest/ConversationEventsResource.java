package dev.parley.gateway.rest;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

import dev.parley.gateway.events.ConversationEventsService;
import dev.parley.gateway.security.AuthenticationFilter;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

@Path("/v1/conversations/{conversationId}/events")
@Tag(name = "Conversations")
public class ConversationEventsResource {

    @Inject
    ConversationEventsService events;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @Operation(summary = "The conversation's events as they happen (Server-Sent Events)",
            description = "Events: message.received, message.sent, message.delta (pieces of a bot answer being "
                    + "generated), handoff.requested, handoff.released, conversation.ended, and the stream's own "
                    + "stream.ready and stream.resync. Each event's id is a position: reconnect with Last-Event-ID to "
                    + "get the messages missed meanwhile; stream.resync means reload the history. A comment line "
                    + "is sent every 15 s when idle. See docs/streaming.md.")
    public Multi<OutboundSseEvent> events(@PathParam("conversationId") @Size(max = 64) String conversationId,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse,
            @Context ContainerRequestContext context) {
        return events.open(AuthenticationFilter.caller(context), conversationId, lastEventId, sse);
    }
}
