package dev.parley.gateway.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.events.InboundMessage;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.Backends;
import dev.parley.gateway.messaging.TurnGateway;
import dev.parley.gateway.rest.Api;
import dev.parley.gateway.security.Caller;

/** The public API's logic: sessions, turns and history, always within the caller's tenant. */
@ApplicationScoped
public class ConversationService {

    @Inject
    Backends backends;
    @Inject
    TurnGateway turns;

    public Api.SessionCreated createSession(Caller caller, Api.CreateSession request) {
        require(caller, Caller.CONVERSATIONS_WRITE);
        if (caller.conversationBound()) {
            request = confined(caller, request);
        }
        String botId = request.botId() != null ? request.botId() : caller.defaultBotId();
        if (botId == null && request.conversationId() == null) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "botId: required (the tenant has no default bot)");
        }
        if (botId != null) {
            backends.bot(caller.tenantId(), botId);
        }
        var session = backends.openSession(caller.tenantId(), request.userId(), botId, request.conversationId());
        return new Api.SessionCreated(session.sessionId(), session.conversationId(), session.userId(), session.botId(),
                session.expiresAt(), session.resumed());
    }

    /** A turn: the reply when it came in time, else the acceptance. */
    public Object send(Caller caller, Api.SendMessage request) {
        require(caller, Caller.CONVERSATIONS_WRITE);
        // Attributes are merged into the user by session-service: refuse ones it could not keep.
        dev.parley.common.users.AttributeLimits.DEFAULTS.check(request.attributes(), true);
        var session = backends.session(caller.tenantId(), request.sessionId());
        if (!caller.mayAccessConversation(session.conversationId())) {
            throw new ProblemException(ProblemCode.SESSION_NOT_FOUND, "Session " + request.sessionId() + " not found");
        }
        var now = TurnGateway.now();
        if (session.expiresAt().isBefore(now)) {
            throw new ProblemException(ProblemCode.SESSION_EXPIRED,
                    "Session " + request.sessionId() + " expired at " + session.expiresAt() + "; open a new one");
        }
        var inbound = new InboundMessage(UUID.randomUUID().toString(), caller.tenantId(), session.botId(),
                session.conversationId(), session.sessionId(), session.userId(), request.text(), request.metadata(),
                request.attributes(), now);
        var outcome = turns.send(inbound);
        if (!outcome.answered()) {
            return new Api.MessageAccepted(inbound.messageId(), inbound.conversationId(), "accepted");
        }
        var reply = outcome.reply();
        return new Api.MessageReply(inbound.messageId(), inbound.conversationId(), reply.text(),
                reply.messages().stream().map(m -> new Api.BotMessageView(m.messageId(), m.text())).toList(),
                reply.quickReplies() == null ? List.of() : reply.quickReplies(),
                reply.suggestedActions() == null ? List.of() : reply.suggestedActions(), reply.intent(),
                reply.metadata(), reply.sources());
    }

    public Api.Conversation conversation(Caller caller, String conversationId, int limit) {
        require(caller, Caller.CONVERSATIONS_READ);
        requireConversation(caller, conversationId);
        var found = backends.conversation(caller.tenantId(), conversationId, limit);
        var c = found.conversation();
        var page = found.page();
        return new Api.Conversation(c.conversationId(), c.botId(), c.userId(), c.status(), c.startedAt(),
                c.lastActivityAt(), c.messageCount(), page.messages(), new Api.Cursors(page.older(), page.newer()),
                page.hasOlder());
    }

    public Api.MessagesPage messages(Caller caller, String conversationId, String before, String after, int limit) {
        require(caller, Caller.CONVERSATIONS_READ);
        requireConversation(caller, conversationId);
        var page = backends.messages(caller.tenantId(), conversationId, before, after, limit);
        return new Api.MessagesPage(conversationId, page.messages(), new Api.Cursors(page.older(), page.newer()),
                page.hasOlder(), page.hasNewer());
    }

    /** A client token opens sessions on its own conversation, for its own user, only. */
    private static Api.CreateSession confined(Caller caller, Api.CreateSession request) {
        if (request.conversationId() != null && !caller.mayAccessConversation(request.conversationId())) {
            throw new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND,
                    "Conversation " + request.conversationId() + " not found");
        }
        if (caller.userId() != null && !caller.userId().equals(request.userId())) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "A client token acts for its own user only");
        }
        return new Api.CreateSession(request.userId(), null, caller.conversationId());
    }

    private static void requireConversation(Caller caller, String conversationId) {
        if (!caller.mayAccessConversation(conversationId)) {
            throw new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND, "Conversation " + conversationId + " not found");
        }
    }

    private static void require(Caller caller, String scope) {
        if (!caller.may(scope)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + scope);
        }
    }
}
