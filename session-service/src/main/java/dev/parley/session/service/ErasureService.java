package dev.parley.session.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.Topics;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.UserErased;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.ErasureView;
import dev.parley.session.config.SessionConfig;
import dev.parley.session.messaging.EventPublisher;
import dev.parley.session.repository.OutboxEvent;
import dev.parley.session.repository.OutboxRepository;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;
import dev.parley.session.repository.TranscriptRepository.NewMessage;
import dev.parley.session.repository.UserRepository;

/**
 * Erasure of a user (GDPR art. 17). In one transaction, holding the user's exclusive lock: every conversation,
 * message, session and attribute of the user is deleted, together with any of their events still waiting in the
 * outbox; the request is recorded (it is also the user's tombstone) with session-service's own confirmation; and
 * the {@code user.erased} command for the other services is put in the outbox. The other services answer with
 * {@code erasure.confirmed}; the request is complete when every configured service has.
 */
@ApplicationScoped
public class ErasureService {

    public static final String SERVICE = "session-service";
    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    @Inject
    Transactions transactions;
    @Inject
    UserRepository users;
    @Inject
    OutboxRepository outbox;
    @Inject
    EventPublisher publisher;
    @Inject
    SessionConfig config;

    public ErasureView start(String tenantId, String userId) throws SQLException {
        var now = SessionRepository.now();
        var erasureId = UUID.randomUUID();
        var command = new ArrayList<OutboxEvent>(1);
        ErasureView view = transactions.run(connection -> {
            users.lockExclusive(connection, tenantId, userId);
            long erased = eraseData(connection, tenantId, userId);
            try (var insert = connection.prepareStatement(
                    "INSERT INTO erasures (id, tenant_id, user_id, requested_at) VALUES (?, ?, ?, ?)")) {
                insert.setObject(1, erasureId);
                insert.setString(2, tenantId);
                insert.setString(3, userId);
                insert.setTimestamp(4, Timestamp.from(now));
                insert.executeUpdate();
            }
            var services = new java.util.LinkedHashSet<String>(config.erasure().confirmingServices());
            services.add(SERVICE);
            try (var insert = connection.prepareStatement("""
                    INSERT INTO erasure_confirmations (erasure_id, service, confirmed_at, items_erased)
                    VALUES (?, ?, ?, ?)""")) {
                for (String service : services) {
                    boolean self = SERVICE.equals(service);
                    insert.setObject(1, erasureId);
                    insert.setString(2, service);
                    insert.setTimestamp(3, self ? Timestamp.from(now) : null);
                    insert.setObject(4, self ? erased : null, java.sql.Types.BIGINT);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            completeIfConfirmed(connection, erasureId, now);
            var payload = new UserErased(erasureId.toString(), tenantId, userId, now);
            command.add(new OutboxEvent(SessionService.eventId(EventTypes.USER_ERASED, erasureId.toString()),
                    Topics.USER_ERASURES, tenantId + ":" + userId, EventTypes.USER_ERASED, tenantId, null,
                    users.write(payload), now));
            outbox.add(connection, command);
            return find(connection, tenantId, erasureId).orElseThrow();
        });
        publisher.publish(command);
        LOG.infof("Erasure %s started for a user of tenant %s", erasureId, tenantId);
        return view;
    }

    /** Deletes everything this service holds about the user; returns how many records went. */
    private long eraseData(Connection connection, String tenantId, String userId) throws SQLException {
        var conversations = new ArrayList<UUID>();
        try (var select = connection.prepareStatement(
                "SELECT id FROM conversations WHERE tenant_id = ? AND user_id = ? FOR UPDATE")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            var rows = select.executeQuery();
            while (rows.next()) {
                conversations.add(rows.getObject(1, UUID.class));
            }
        }
        long erased = 0;
        var ids = connection.createArrayOf("uuid", conversations.toArray());
        try (var delete = connection.prepareStatement("DELETE FROM messages WHERE conversation_id = ANY (?)")) {
            delete.setArray(1, ids);
            erased += delete.executeUpdate();
        }
        try (var delete = connection.prepareStatement(
                "DELETE FROM sessions WHERE tenant_id = ? AND (user_id = ? OR conversation_id = ANY (?))")) {
            delete.setString(1, tenantId);
            delete.setString(2, userId);
            delete.setArray(3, ids);
            erased += delete.executeUpdate();
        }
        try (var delete = connection.prepareStatement("DELETE FROM conversations WHERE id = ANY (?)")) {
            delete.setArray(1, ids);
            erased += delete.executeUpdate();
        }
        // Events about the user not yet on Kafka must not leave after the erasure.
        var keys = new ArrayList<String>();
        conversations.forEach(id -> keys.add(id.toString()));
        try (var delete = connection.prepareStatement("""
                DELETE FROM outbox WHERE tenant_id = ? AND (record_key = ANY (?) OR (record_key = ? AND type LIKE 'user.%'))""")) {
            delete.setString(1, tenantId);
            delete.setArray(2, connection.createArrayOf("text", keys.toArray()));
            delete.setString(3, userId);
            delete.executeUpdate();
        }
        erased += users.delete(connection, tenantId, userId);
        return erased;
    }

    /**
     * Which rows may be stored: a row is dropped when its conversation is gone and its user has been erased (it
     * was produced before or during the erasure and arrives late). The caller holds the owners' shared locks.
     */
    public boolean[] keepable(Connection connection, List<NewMessage> rows, List<String> owners)
            throws SQLException {
        boolean[] keep = new boolean[rows.size()];
        java.util.Arrays.fill(keep, true);
        Set<UUID> wanted = new HashSet<>();
        rows.forEach(r -> wanted.add(r.conversationId()));
        Set<UUID> existing = new HashSet<>();
        try (var select = connection.prepareStatement("SELECT id FROM conversations WHERE id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("uuid", wanted.toArray()));
            var found = select.executeQuery();
            while (found.next()) {
                existing.add(found.getObject(1, UUID.class));
            }
        }
        Map<String, Boolean> erased = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            NewMessage row = rows.get(i);
            if (existing.contains(row.conversationId()) || owners.get(i) == null) {
                continue;
            }
            String owner = owners.get(i);
            boolean wasErased = erased.computeIfAbsent(row.tenantId() + '\u0000' + owner,
                    k -> SessionService.unchecked(() -> hasErasure(connection, row.tenantId(), owner)));
            keep[i] = !wasErased;
        }
        return keep;
    }

    private static boolean hasErasure(Connection connection, String tenantId, String userId) throws SQLException {
        try (var select = connection.prepareStatement(
                "SELECT 1 FROM erasures WHERE tenant_id = ? AND user_id = ? LIMIT 1")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            return select.executeQuery().next();
        }
    }

    /** Records a service's confirmation; unknown requests and services not asked are ignored. */
    public void confirm(List<ErasureConfirmed> confirmations) throws SQLException {
        var now = SessionRepository.now();
        transactions.run(connection -> {
            for (ErasureConfirmed c : confirmations) {
                var id = SessionService.parseUuid(c.erasureId()).orElse(null);
                if (id == null) {
                    continue;
                }
                try (var update = connection.prepareStatement("""
                        UPDATE erasure_confirmations ec SET confirmed_at = ?, items_erased = ?
                        FROM erasures e
                        WHERE ec.erasure_id = e.id AND e.id = ? AND e.tenant_id = ? AND ec.service = ?
                          AND ec.confirmed_at IS NULL""")) {
                    update.setTimestamp(1, Timestamp.from(c.confirmedAt() == null ? now : c.confirmedAt()));
                    update.setLong(2, c.itemsErased());
                    update.setObject(3, id);
                    update.setString(4, c.tenantId());
                    update.setString(5, c.service());
                    if (update.executeUpdate() == 0) {
                        LOG.debugf("Ignoring confirmation of erasure %s by %s", c.erasureId(), c.service());
                    }
                }
                completeIfConfirmed(connection, id, now);
            }
            return null;
        });
    }

    private static void completeIfConfirmed(Connection connection, UUID erasureId, Instant now) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE erasures SET completed_at = ? WHERE id = ? AND completed_at IS NULL AND NOT EXISTS (
                    SELECT 1 FROM erasure_confirmations WHERE erasure_id = ? AND confirmed_at IS NULL)""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setObject(2, erasureId);
            update.setObject(3, erasureId);
            update.executeUpdate();
        }
    }

    public ErasureView get(String tenantId, String userId, String erasureId) throws SQLException {
        var id = SessionService.parseUuid(erasureId).orElseThrow(() -> notFound(erasureId));
        return transactions.run(connection -> find(connection, tenantId, id))
                .filter(view -> userId == null || view.userId().equals(userId))
                .orElseThrow(() -> notFound(erasureId));
    }

    private static java.util.Optional<ErasureView> find(Connection connection, String tenantId, UUID id)
            throws SQLException {
        String userId;
        Instant requestedAt;
        Instant completedAt;
        try (var select = connection.prepareStatement(
                "SELECT user_id, requested_at, completed_at FROM erasures WHERE id = ? AND tenant_id = ?")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var row = select.executeQuery();
            if (!row.next()) {
                return java.util.Optional.empty();
            }
            userId = row.getString(1);
            requestedAt = row.getTimestamp(2).toInstant();
            completedAt = row.getTimestamp(3) == null ? null : row.getTimestamp(3).toInstant();
        }
        var services = new ArrayList<ErasureView.ServiceProgress>();
        try (var select = connection.prepareStatement("""
                SELECT service, confirmed_at, items_erased FROM erasure_confirmations WHERE erasure_id = ?
                ORDER BY service""")) {
            select.setObject(1, id);
            var rows = select.executeQuery();
            while (rows.next()) {
                var confirmed = rows.getTimestamp(2);
                long items = rows.getLong(3);
                services.add(new ErasureView.ServiceProgress(rows.getString(1),
                        confirmed == null ? "pending" : "confirmed", confirmed == null ? null : confirmed.toInstant(),
                        rows.wasNull() ? null : items));
            }
        }
        return java.util.Optional.of(new ErasureView(id.toString(), userId,
                completedAt == null ? "in_progress" : "completed", requestedAt, completedAt, services));
    }

    private static ProblemException notFound(String erasureId) {
        return new ProblemException(ProblemCode.ERASURE_NOT_FOUND, "No erasure request " + erasureId);
    }
}
