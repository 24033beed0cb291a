package dev.parley.session.service;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.ConversationStarted;
import dev.parley.common.events.EventTypes;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.ConversationView;
import dev.parley.session.SessionView;
import dev.parley.session.config.SessionConfig;
import dev.parley.session.messaging.EventPublisher;
import dev.parley.session.repository.OutboxEvent;
import dev.parley.session.repository.OutboxRepository;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;

@ApplicationScoped
public class SessionService {

    @Inject
    Transactions transactions;
    @Inject
    SessionRepository sessions;
    @Inject
    OutboxRepository outbox;
    @Inject
    EventPublisher publisher;
    @Inject
    SessionConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    dev.parley.session.repository.UserRepository users;

    /**
     * Opens a session for a user: on a new conversation, or on an existing one of the same user when
     * {@code conversationId} is given. A conversation of another tenant or another user is "not found".
     */
    public SessionView open(String tenantId, String userId, String botId, String conversationId) throws SQLException {
        var now = SessionRepository.now();
        var sessionId = UUID.randomUUID().toString();
        var started = new java.util.ArrayList<OutboxEvent>(1);
        SessionView session = transactions.run(connection -> {
            users.lockShared(connection, tenantId, List.of(userId));
            users.ensure(connection, tenantId, userId, now);
            ConversationView conversation;
            boolean resumed = conversationId != null;
            if (resumed) {
                conversation = parseUuid(conversationId)
                        .flatMap(id -> unchecked(() -> sessions.findConversation(connection, tenantId, id)))
                        .filter(c -> c.userId().equals(userId))
                        .orElseThrow(() -> new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND,
                                "No conversation " + conversationId + " for user " + userId));
                if (botId != null && !botId.equals(conversation.botId())) {
                    throw new ProblemException(ProblemCode.CONFLICT, "Conversation " + conversationId
                            + " is with bot " + conversation.botId() + ", not " + botId);
                }
                // A new session continues a conversation that was closed (by the caller or after inactivity).
                LifecycleService.reopen(connection, List.of(UUID.fromString(conversation.conversationId())));
            } else {
                conversation = new ConversationView(UUID.randomUUID().toString(), tenantId, botId, userId, "active",
                        now, now, 0);
                sessions.insertConversation(connection, conversation);
                var event = new ConversationStarted(tenantId, botId, conversation.conversationId(), userId, sessionId,
                        now);
                started.add(new OutboxEvent(eventId(EventTypes.CONVERSATION_STARTED, conversation.conversationId()),
                        Topics.CONVERSATION_EVENTS, conversation.conversationId(), EventTypes.CONVERSATION_STARTED,
                        tenantId, botId, toJson(event), now));
                outbox.add(connection, started);
            }
            var view = new SessionView(sessionId, tenantId, conversation.conversationId(), userId,
                    conversation.botId(), now, now.plus(config.ttl()), resumed);
            sessions.insertSession(connection, view);
            return view;
        });
        publisher.publish(started);
        return session;
    }

    public SessionView get(String tenantId, String sessionId) throws SQLException {
        var id = parseUuid(sessionId).orElseThrow(() -> notFound(sessionId));
        return transactions.run(connection -> sessions.findSession(connection, tenantId, id))
                .orElseThrow(() -> notFound(sessionId));
    }

    private static ProblemException notFound(String sessionId) {
        return new ProblemException(ProblemCode.SESSION_NOT_FOUND, "No session " + sessionId);
    }

    /** Event ids derive from what they announce, so a re-published event carries the same id. */
    public static UUID eventId(String type, String subject) {
        return UUID.nameUUIDFromBytes((type + ":" + subject).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static java.util.Optional<UUID> parseUuid(String value) {
        try {
            return java.util.Optional.of(UUID.fromString(value));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface SqlSupplier<T> {
        T get() throws SQLException;
    }

    static <T> T unchecked(SqlSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
