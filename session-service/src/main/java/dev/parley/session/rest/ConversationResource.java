package dev.parley.session.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.parley.session.ConversationView;
import dev.parley.session.MessagePage;
import dev.parley.session.service.TranscriptService;
import io.smallrye.common.annotation.Blocking;

/** Internal API, called by the gateway only. */
@Path("/internal/tenants/{tenantId}/conversations/{conversationId}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConversationResource {

    public record ConversationWithMessages(ConversationView conversation, MessagePage page) {
    }

    @Inject
    TranscriptService transcript;

    @GET
    public ConversationWithMessages get(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, @QueryParam("limit") @DefaultValue("50") int limit)
            throws SQLException {
        var conversation = transcript.conversation(tenantId, conversationId);
        return new ConversationWithMessages(conversation, transcript.page(tenantId, conversationId, null, null, limit));
    }

    @GET
    @Path("/messages")
    public MessagePage messages(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, @QueryParam("before") String before,
            @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("50") int limit)
            throws SQLException {
        return transcript.page(tenantId, conversationId, before, after, limit);
    }
}
