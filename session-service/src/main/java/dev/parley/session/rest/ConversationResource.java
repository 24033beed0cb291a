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

    /** @param outcome the caller's label for how the conversation ended, e.g. {@code resolved} */
    public record Close(@jakarta.validation.constraints.Size(max = 64) String outcome) {
    }

    @Inject
    TranscriptService transcript;
    @Inject
    dev.parley.session.service.LifecycleService lifecycle;

    @jakarta.ws.rs.POST
    @Path("/close")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public ConversationView close(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId, @jakarta.validation.Valid Close body)
            throws SQLException {
        return lifecycle.close(tenantId, conversationId, body == null ? null : body.outcome());
    }

    @jakarta.ws.rs.POST
    @Path("/reopen")
    public ConversationView reopen(@PathParam("tenantId") String tenantId,
            @PathParam("conversationId") String conversationId) throws SQLException {
        return lifecycle.reopen(tenantId, conversationId);
    }

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
