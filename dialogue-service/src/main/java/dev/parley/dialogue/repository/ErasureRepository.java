package dev.parley.dialogue.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What dialogue-service holds about a user, its erasure, and the tombstones that keep late turns from writing it
 * again. Every turn that writes state takes its user's and its conversation's locks shared; an erasure takes them
 * exclusively, so a turn either commits before the erasure (and is erased with the rest) or runs after it and finds
 * the tombstone.
 */
@ApplicationScoped
public class ErasureRepository {

    /** What one erasure removed. */
    public record Erased(List<UUID> conversations, int states, int processedMessages) {

        public long rows() {
            return (long) states + processedMessages;
        }
    }

    /**
     * Takes, until the end of the transaction, the user's lock and the conversation's lock shared (user first, as
     * the erasure does), in one round trip. A statement run after it sees any erasure committed before the locks.
     */
    public void lockShared(Connection connection, String tenantId, String userId, UUID conversationId)
            throws SQLException {
        // The select list is evaluated left to right, so the user's lock comes first.
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0)), "
                + "pg_advisory_xact_lock_shared(hashtextextended(?, 0))")) {
            lock.setString(1, userId == null ? conversationKey(conversationId) : userKey(tenantId, userId));
            lock.setString(2, conversationKey(conversationId));
            lock.executeQuery().close();
        }
    }

    /**
     * A boolean SQL expression, true when a turn must be dropped: its conversation was erased, or its user was erased at
     * or after the moment the message was accepted. Its four parameters are bound by {@link #bindErased}.
     */
    public static final String ERASED = """
            (EXISTS (SELECT 1 FROM erased_conversations WHERE conversation_id = ?)
                OR EXISTS (SELECT 1 FROM erased_users WHERE tenant_id = ? AND user_id = ? AND erased_at >= ?))""";

    /** Binds {@link #ERASED}'s parameters from position {@code first}; returns the next position. */
    public static int bindErased(java.sql.PreparedStatement statement, int first, String tenantId, String userId,
            UUID conversationId, Instant acceptedAt) throws SQLException {
        statement.setObject(first, conversationId);
        statement.setString(first + 1, tenantId);
        statement.setString(first + 2, userId);
        statement.setTimestamp(first + 3, Timestamp.from(acceptedAt));
        return first + 4;
    }

    /**
     * Erases the user in the caller's transaction: records (or moves forward) the user's tombstone, locks the user
     * and each of their conversations exclusively, tombstones the conversations and deletes their dialogue state and
     * processed messages (replies, slots and events of every turn).
     */
    public Erased erase(Connection connection, String tenantId, String userId, String erasureId, Instant requestedAt)
            throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, userKey(tenantId, userId));
            lock.executeQuery().close();
        }
        try (var insert = connection.prepareStatement("""
                INSERT INTO erased_users (tenant_id, user_id, erased_at, erasure_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET erased_at = EXCLUDED.erased_at,
                    erasure_id = EXCLUDED.erasure_id
                WHERE erased_users.erased_at < EXCLUDED.erased_at""")) {
            insert.setString(1, tenantId);
            insert.setString(2, userId);
            insert.setTimestamp(3, Timestamp.from(requestedAt));
            insert.setString(4, erasureId);
            insert.executeUpdate();
        }
        Set<UUID> conversations = new LinkedHashSet<>();
        try (var select = connection.prepareStatement("""
                SELECT conversation_id FROM dialogue_state WHERE tenant_id = ? AND user_id = ?
                UNION
                SELECT conversation_id FROM processed_messages WHERE tenant_id = ? AND user_id = ?
                ORDER BY 1""")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            select.setString(3, tenantId);
            select.setString(4, userId);
            var rows = select.executeQuery();
            while (rows.next()) {
                conversations.add(rows.getObject(1, UUID.class));
            }
        }
        var ids = new ArrayList<>(conversations);
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            for (UUID id : ids) {
                lock.setString(1, conversationKey(id));
                lock.executeQuery().close();
            }
        }
        var array = connection.createArrayOf("uuid", ids.toArray());
        try (var insert = connection.prepareStatement("""
                INSERT INTO erased_conversations (conversation_id, tenant_id, erased_at)
                SELECT id, ?, ? FROM unnest(?::uuid[]) AS c(id)
                ON CONFLICT (conversation_id) DO NOTHING""")) {
            insert.setString(1, tenantId);
            insert.setTimestamp(2, Timestamp.from(requestedAt));
            insert.setArray(3, array);
            insert.executeUpdate();
        }
        int processed;
        try (var delete = connection.prepareStatement("""
                DELETE FROM processed_messages
                WHERE conversation_id = ANY (?) OR (tenant_id = ? AND user_id = ?)""")) {
            delete.setArray(1, array);
            delete.setString(2, tenantId);
            delete.setString(3, userId);
            processed = delete.executeUpdate();
        }
        int states;
        try (var delete = connection.prepareStatement(
                "DELETE FROM dialogue_state WHERE tenant_id = ? AND (conversation_id = ANY (?) OR user_id = ?)")) {
            delete.setString(1, tenantId);
            delete.setArray(2, array);
            delete.setString(3, userId);
            states = delete.executeUpdate();
        }
        return new Erased(List.copyOf(ids), states, processed);
    }

    /** Rows anywhere in dialogue-service that belong to the user or one of the conversations (for tests). */
    public long rowsOf(Connection connection, String tenantId, String userId, List<UUID> conversations)
            throws SQLException {
        var array = connection.createArrayOf("uuid", conversations.toArray());
        try (var select = connection.prepareStatement("""
                SELECT (SELECT count(*) FROM dialogue_state
                        WHERE (tenant_id = ? AND user_id = ?) OR conversation_id = ANY (?))
                     + (SELECT count(*) FROM processed_messages
                        WHERE (tenant_id = ? AND user_id = ?) OR conversation_id = ANY (?))""")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            select.setArray(3, array);
            select.setString(4, tenantId);
            select.setString(5, userId);
            select.setArray(6, array);
            var row = select.executeQuery();
            row.next();
            return row.getLong(1);
        }
    }

    /** The owner under which a user's texts are cached by NLU. */
    public static String owner(String tenantId, String userId, String conversationId) {
        return userId == null ? "conversation:" + conversationId : userKey(tenantId, userId);
    }

    private static String userKey(String tenantId, String userId) {
        return "dialogue-user:" + tenantId.length() + ":" + tenantId + ":" + userId;
    }

    private static String conversationKey(UUID conversationId) {
        return "dialogue-conversation:" + conversationId;
    }
}
