package dev.parley.webhook.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.parley.webhook.repository.DeliveryRepository.IncomingEvent;

/**
 * What webhook-service holds about a user (the stored events about them or their conversations, kept for retries
 * and replays), its erasure, and the tombstones that keep late events from being stored again. Fan-out takes its
 * tenants' erasure locks shared; an erasure takes its tenant's exclusively, so an event is either stored before the
 * erasure (and erased with the rest) or checked against the tombstones after it.
 */
@ApplicationScoped
public class ErasureRepository {

    /** The failure recorded on a pending delivery whose event was erased. */
    public static final String ERASED_ERROR = "payload erased with its user (GDPR erasure)";

    /** What one erasure changed. */
    public record Erased(int conversations, int events, int deliveriesFailed, int excerptsBlanked) {

        public long items() {
            return (long) events + excerptsBlanked;
        }
    }

    /**
     * Takes the tenants' erasure locks shared until the end of the transaction (in the given order, which must be
     * sorted), then returns the events that are about neither an erased conversation nor a user erased at or after
     * the event occurred.
     */
    public List<IncomingEvent> withoutErased(Connection connection, List<String> sortedTenants,
            List<IncomingEvent> events) throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))")) {
            for (String tenant : sortedTenants) {
                lock.setString(1, tenantKey(tenant));
                lock.executeQuery().close();
            }
        }
        var tenants = new ArrayList<String>(events.size());
        var users = new ArrayList<String>(events.size());
        var conversations = new ArrayList<String>(events.size());
        var times = new ArrayList<String>(events.size());
        for (IncomingEvent e : events) {
            tenants.add(e.tenantId());
            users.add(e.userId());
            conversations.add(e.conversationId());
            times.add(e.occurredAt().toString());
        }
        Set<Integer> erased = new HashSet<>();
        // A statement of its own, after the locks: its snapshot sees every committed erasure.
        try (var select = connection.prepareStatement("""
                SELECT e.i FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                    AS e(tenant_id, user_id, conversation_id, occurred_at, i)
                WHERE EXISTS (SELECT 1 FROM webhook_erased_conversations c
                              WHERE c.tenant_id = e.tenant_id AND c.conversation_id = e.conversation_id)
                   OR EXISTS (SELECT 1 FROM webhook_erased_users u
                              WHERE u.tenant_id = e.tenant_id AND u.user_id = e.user_id
                                AND u.erased_at >= e.occurred_at::timestamptz)""")) {
            select.setArray(1, connection.createArrayOf("text", tenants.toArray()));
            select.setArray(2, connection.createArrayOf("text", users.toArray()));
            select.setArray(3, connection.createArrayOf("text", conversations.toArray()));
            select.setArray(4, connection.createArrayOf("text", times.toArray()));
            var rows = select.executeQuery();
            while (rows.next()) {
                erased.add(rows.getInt(1) - 1);
            }
        }
        if (erased.isEmpty()) {
            return events;
        }
        var kept = new ArrayList<IncomingEvent>(events.size() - erased.size());
        for (int i = 0; i < events.size(); i++) {
            if (!erased.contains(i)) {
                kept.add(events.get(i));
            }
        }
        return kept;
    }

    /**
     * Erases the user in the caller's transaction: records (or moves forward) the user's tombstone, tombstones every
     * conversation an event about the user named, blanks the body of every event about the user or those
     * conversations, fails their pending deliveries (so nothing is sent later) and blanks the receivers' answers
     * to their attempts. Delivery rows stay, without payload, so the log still shows what was sent and when.
     */
    public Erased erase(Connection connection, String tenantId, String userId, String erasureId, Instant requestedAt)
            throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, tenantKey(tenantId));
            lock.executeQuery().close();
        }
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_erased_users (tenant_id, user_id, erased_at, erasure_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET erased_at = EXCLUDED.erased_at,
                    erasure_id = EXCLUDED.erasure_id
                WHERE webhook_erased_users.erased_at < EXCLUDED.erased_at""")) {
            insert.setString(1, tenantId);
            insert.setString(2, userId);
            insert.setTimestamp(3, Timestamp.from(requestedAt));
            insert.setString(4, erasureId);
            insert.executeUpdate();
        }
        int conversations;
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_erased_conversations (tenant_id, conversation_id, erased_at)
                SELECT DISTINCT tenant_id, conversation_id, ?::timestamptz FROM webhook_events
                WHERE tenant_id = ? AND user_id = ? AND conversation_id IS NOT NULL
                ON CONFLICT (tenant_id, conversation_id) DO NOTHING""")) {
            insert.setTimestamp(1, Timestamp.from(requestedAt));
            insert.setString(2, tenantId);
            insert.setString(3, userId);
            conversations = insert.executeUpdate();
        }
        // Events about the user, or about one of their conversations (some events, handoffs for one, name only it).
        // (A text block drops trailing spaces: the leading one here keeps "AND" apart from the condition.)
        String ofUser = " " + """
                e.tenant_id = ? AND (e.user_id = ? OR e.conversation_id IN (
                    SELECT conversation_id FROM webhook_events
                    WHERE tenant_id = ? AND user_id = ? AND conversation_id IS NOT NULL))""";
        int failed;
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries d SET status = 'failed', next_attempt_at = NULL, last_error = ?,
                    completed_at = now()
                FROM webhook_events e
                WHERE e.id = d.event_id AND d.status = 'pending' AND """ + ofUser)) {
            update.setString(1, ERASED_ERROR);
            bindUser(update, 2, tenantId, userId);
            failed = update.executeUpdate();
        }
        int excerpts;
        try (var update = connection.prepareStatement("""
                UPDATE webhook_attempts a SET response_excerpt = NULL
                FROM webhook_deliveries d, webhook_events e
                WHERE a.delivery_id = d.id AND e.id = d.event_id AND a.response_excerpt IS NOT NULL AND """ + ofUser)) {
            bindUser(update, 1, tenantId, userId);
            excerpts = update.executeUpdate();
        }
        // Last, as it also forgets whom the events were about.
        int events;
        try (var update = connection.prepareStatement("UPDATE webhook_events e SET body = NULL, user_id = NULL, "
                + "erased_at = coalesce(e.erased_at, now()) WHERE " + ofUser)) {
            bindUser(update, 1, tenantId, userId);
            events = update.executeUpdate();
        }
        return new Erased(conversations, events, failed, excerpts);
    }

    private static void bindUser(java.sql.PreparedStatement statement, int first, String tenantId, String userId)
            throws SQLException {
        statement.setString(first, tenantId);
        statement.setString(first + 1, userId);
        statement.setString(first + 2, tenantId);
        statement.setString(first + 3, userId);
    }

    private static String tenantKey(String tenantId) {
        return "webhook-erasure:" + tenantId;
    }
}
