package dev.parley.session.service;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.ConversationEnded;
import dev.parley.common.events.EventTypes;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.ConversationList;
import dev.parley.session.ConversationView;
import dev.parley.session.config.SessionConfig;
import dev.parley.session.messaging.EventPublisher;
import dev.parley.session.repository.OutboxEvent;
import dev.parley.session.repository.OutboxRepository;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/**
 * A conversation's status: {@code active}, {@code handoff} once the bot offers a human, {@code closed} when the
 * caller closes it or it has been inactive for {@code parley.session.lifecycle.inactivity-timeout}. Closing
 * announces {@code conversation.ended}; a later message or a new session on the conversation reopens it, so its
 * history continues.
 */
@ApplicationScoped
public class LifecycleService {

    public static final int MAX_PAGE = 200;
    private static final Logger LOG = Logger.getLogger(LifecycleService.class);
    private static final List<String> STATUSES = List.of("active", "handoff", "closed");

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

    public ConversationView close(String tenantId, String conversationId, String outcome) throws SQLException {
        var id = SessionService.parseUuid(conversationId).orElseThrow(() -> notFound(conversationId));
        var now = SessionRepository.now();
        var events = new ArrayList<OutboxEvent>(1);
        var closed = transactions.run(connection -> {
            var conversation = lock(connection, tenantId, id).orElseThrow(() -> notFound(conversationId));
            if ("closed".equals(conversation.status())) {
                throw new ProblemException(ProblemCode.CONFLICT, "Conversation " + conversationId + " is already closed");
            }
            events.add(end(connection, conversation, outcome, "closed", now));
            outbox.add(connection, events);
            return sessions.findConversation(connection, tenantId, id).orElseThrow();
        });
        publisher.publish(events);
        return closed;
    }

    public ConversationView reopen(String tenantId, String conversationId) throws SQLException {
        var id = SessionService.parseUuid(conversationId).orElseThrow(() -> notFound(conversationId));
        return transactions.run(connection -> {
            var conversation = lock(connection, tenantId, id).orElseThrow(() -> notFound(conversationId));
            if (!"closed".equals(conversation.status())) {
                throw new ProblemException(ProblemCode.CONFLICT, "Conversation " + conversationId + " is not closed");
            }
            reopen(connection, List.of(id));
            return sessions.findConversation(connection, tenantId, id).orElseThrow();
        });
    }

    /** A message or a new session on a closed conversation continues it. */
    public void reopenOnMessage(Connection connection, Collection<UUID> conversationIds) throws SQLException {
        reopen(connection, conversationIds);
    }

    static void reopen(Connection connection, Collection<UUID> conversationIds) throws SQLException {
        if (conversationIds.isEmpty()) {
            return;
        }
        try (var update = connection.prepareStatement("""
                UPDATE conversations SET status = CASE WHEN handoff_at IS NULL THEN 'active' ELSE 'handoff' END,
                       ended_at = NULL, outcome = NULL
                WHERE id = ANY (?) AND status = 'closed'""")) {
            update.setArray(1, connection.createArrayOf("uuid", conversationIds.toArray()));
            update.executeUpdate();
        }
    }

    public void markHandoff(Connection connection, UUID conversationId, Instant now) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE conversations SET status = 'handoff', handoff_at = COALESCE(handoff_at, ?)
                WHERE id = ? AND status = 'active'""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setObject(2, conversationId);
            update.executeUpdate();
        }
    }

    /** Closes conversations nobody has written to for the inactivity timeout, and expires their sessions. */
    @Scheduled(every = "${parley.session.lifecycle.check-every:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireInactive() {
        try {
            int closed;
            do {
                closed = expireInactive(SessionRepository.now(), 200);
            } while (closed == 200);
        } catch (Exception e) {
            LOG.warnf("Closing inactive conversations failed, will retry: %s", e.getMessage());
        }
    }

    /** One batch of {@link #expireInactive()}; returns how many conversations it closed. */
    public int expireInactive(Instant now, int limit) throws SQLException {
        var cutoff = now.minus(config.lifecycle().inactivityTimeout());
        var events = new ArrayList<OutboxEvent>();
        transactions.run(connection -> {
            var stale = new ArrayList<ConversationView>();
            try (var select = connection.prepareStatement("SELECT " + SessionRepository.CONVERSATION_COLUMNS + """
                     FROM conversations WHERE status <> 'closed' AND last_activity_at < ?
                    ORDER BY last_activity_at LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                select.setTimestamp(1, Timestamp.from(cutoff));
                select.setInt(2, limit);
                var rows = select.executeQuery();
                while (rows.next()) {
                    stale.add(SessionRepository.conversation(rows));
                }
            }
            for (var conversation : stale) {
                events.add(end(connection, conversation, null, "expired", now));
            }
            outbox.add(connection, events);
            return null;
        });
        publisher.publish(events);
        return events.size();
    }

    private OutboxEvent end(Connection connection, ConversationView conversation, String outcome, String reason,
            Instant now) throws SQLException {
        var id = UUID.fromString(conversation.conversationId());
        try (var update = connection.prepareStatement(
                "UPDATE conversations SET status = 'closed', ended_at = ?, outcome = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, outcome != null ? outcome : "expired".equals(reason) ? "expired" : null);
            update.setObject(3, id);
            update.executeUpdate();
        }
        try (var update = connection.prepareStatement(
                "UPDATE sessions SET expires_at = LEAST(expires_at, ?) WHERE conversation_id = ?")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setObject(2, id);
            update.executeUpdate();
        }
        int turns;
        try (var count = connection.prepareStatement(
                "SELECT count(*) FROM messages WHERE conversation_id = ? AND role = 'user'")) {
            count.setObject(1, id);
            var row = count.executeQuery();
            row.next();
            turns = row.getInt(1);
        }
        var intents = new ArrayList<String>();
        try (var select = connection.prepareStatement("""
                SELECT intent_name FROM messages WHERE conversation_id = ? AND intent_name IS NOT NULL
                GROUP BY intent_name ORDER BY min(turn_at), intent_name""")) {
            select.setObject(1, id);
            var rows = select.executeQuery();
            while (rows.next()) {
                intents.add(rows.getString(1));
            }
        }
        var payload = new ConversationEnded(conversation.tenantId(), conversation.botId(),
                conversation.conversationId(), conversation.userId(), turns, intents, outcome, reason, now);
        // One conversation can end several times (closed, reopened, closed): the end time makes each event distinct.
        return new OutboxEvent(SessionService.eventId(EventTypes.CONVERSATION_ENDED,
                conversation.conversationId() + "@" + now), Topics.CONVERSATION_EVENTS, conversation.conversationId(),
                EventTypes.CONVERSATION_ENDED, conversation.tenantId(), conversation.botId(), write(payload), now);
    }

    private static java.util.Optional<ConversationView> lock(Connection connection, String tenantId, UUID id)
            throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + SessionRepository.CONVERSATION_COLUMNS
                + " FROM conversations WHERE id = ? AND tenant_id = ? FOR UPDATE")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var row = select.executeQuery();
            return row.next() ? java.util.Optional.of(SessionRepository.conversation(row)) : java.util.Optional.empty();
        }
    }

    /** Conversations of the tenant, newest first, filtered; paged by an opaque cursor. */
    public ConversationList list(String tenantId, String userId, String status, String botId, Instant from,
            Instant to, String cursor, int limit) throws SQLException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "limit must be between 1 and " + MAX_PAGE);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "status must be one of " + STATUSES);
        }
        Position after = cursor == null ? null : Position.decode(cursor);
        var sql = new StringBuilder("SELECT " + SessionRepository.CONVERSATION_COLUMNS
                + " FROM conversations WHERE tenant_id = ?");
        var params = new ArrayList<Object>();
        params.add(tenantId);
        if (userId != null) {
            sql.append(" AND user_id = ?");
            params.add(userId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (botId != null) {
            sql.append(" AND bot_id = ?");
            params.add(botId);
        }
        if (from != null) {
            sql.append(" AND started_at >= ?");
            params.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND started_at < ?");
            params.add(Timestamp.from(to));
        }
        if (after != null) {
            sql.append(" AND (started_at, id) < (?, ?)");
            params.add(Timestamp.from(after.startedAt()));
            params.add(after.id());
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
        params.add(limit + 1);
        return transactions.run(connection -> {
            try (var select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    select.setObject(i + 1, params.get(i));
                }
                var rows = select.executeQuery();
                var page = new ArrayList<ConversationView>();
                while (rows.next()) {
                    page.add(SessionRepository.conversation(rows));
                }
                String next = null;
                if (page.size() > limit) {
                    page.remove(limit);
                    var last = page.get(limit - 1);
                    next = new Position(last.startedAt(), UUID.fromString(last.conversationId())).encode();
                }
                return new ConversationList(page, next);
            }
        });
    }

    /** Where a listing page ended; opaque to clients. */
    record Position(Instant startedAt, UUID id) {
        String encode() {
            String raw = "l1:" + ChronoUnit.MICROS.between(Instant.EPOCH, startedAt) + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String value) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split(":");
                if (parts.length != 3 || !"l1".equals(parts[0])) {
                    throw new IllegalArgumentException("unknown cursor");
                }
                return new Position(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new ProblemException(ProblemCode.INVALID_CURSOR, "The cursor is not one this API issued");
            }
        }
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException notFound(String conversationId) {
        return new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
    }
}
