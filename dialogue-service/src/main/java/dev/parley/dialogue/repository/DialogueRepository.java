package dev.parley.dialogue.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

@ApplicationScoped
public class DialogueRepository {

    public static final String ACTIVE = "active";
    public static final String HANDOFF = "handoff";

    /**
     * The dialogue state of one conversation.
     *
     * @param flow   the running flow as JSON, or null
     * @param status active, or handoff while a human has the conversation
     */
    public record State(UUID conversationId, String tenantId, String botId, int botVersion, int turns, int misses,
            String lastIntent, String status, String flow) {

        public boolean inHandoff() {
            return HANDOFF.equals(status);
        }
    }

    /** A turn handled before: its reply and the events it raised, as JSON. */
    public record Processed(String reply, String events) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public Optional<Processed> processed(Connection connection, UUID messageId) throws SQLException {
        try (var select = connection.prepareStatement(
                "SELECT reply, events FROM processed_messages WHERE message_id = ?")) {
            select.setObject(1, messageId);
            var row = select.executeQuery();
            return row.next() ? Optional.of(new Processed(row.getString(1), row.getString(2))) : Optional.empty();
        }
    }

    /** A state row's columns (table alias {@code s}), in the order {@link #state(java.sql.ResultSet, int, UUID)} reads. */
    private static final String STATE_COLUMNS =
            "s.tenant_id, s.bot_id, s.bot_version, s.turns, s.misses, s.last_intent, s.status, s.flow";

    /** What a turn needs to know before it answers, read in one round trip. */
    public record TurnStart(boolean erased, Optional<Processed> processed, Optional<State> state) {
    }

    /**
     * Whether the turn must be dropped (see {@link ErasureRepository#ERASED}; call it after
     * {@link ErasureRepository#lockShared}), whether the message was handled before, and the conversation's state.
     */
    public TurnStart turnStart(Connection connection, UUID messageId, UUID conversationId, String tenantId,
            String userId, java.time.Instant acceptedAt) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + ErasureRepository.ERASED + ", p.reply, p.events, "
                + STATE_COLUMNS + " " + """
                FROM (SELECT 1) AS one
                LEFT JOIN processed_messages p ON p.message_id = ?
                LEFT JOIN dialogue_state s ON s.conversation_id = ?""")) {
            int next = ErasureRepository.bindErased(select, 1, tenantId, userId, conversationId, acceptedAt);
            select.setObject(next, messageId);
            select.setObject(next + 1, conversationId);
            var row = select.executeQuery();
            row.next();
            boolean erased = row.getBoolean(1);
            var processed = row.getString(2) == null ? Optional.<Processed> empty()
                    : Optional.of(new Processed(row.getString(2), row.getString(3)));
            return new TurnStart(erased, processed, state(row, 4, conversationId));
        }
    }

    public Optional<State> state(Connection connection, UUID conversationId, boolean forUpdate) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + STATE_COLUMNS
                + " FROM dialogue_state s WHERE s.conversation_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setObject(1, conversationId);
            var row = select.executeQuery();
            return row.next() ? state(row, 1, conversationId) : Optional.empty();
        }
    }

    /**
     * The state in the current row, its columns from {@code first} on in {@link #STATE_COLUMNS} order; empty when
     * the row has none (a left join that found no state).
     */
    private static Optional<State> state(java.sql.ResultSet row, int first, UUID conversationId) throws SQLException {
        if (row.getString(first) == null) {
            return Optional.empty();
        }
        return Optional.of(new State(conversationId, row.getString(first), row.getString(first + 1),
                row.getInt(first + 2), row.getInt(first + 3), row.getInt(first + 4), row.getString(first + 5),
                row.getString(first + 6), row.getString(first + 7)));
    }

    /**
     * Records the message of the user (null when unknown) as processed with its reply; false when another consumer
     * got there first.
     */
    public boolean markProcessed(Connection connection, UUID messageId, UUID conversationId, String tenantId,
            String userId, String reply, String events, Instant now) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO processed_messages (message_id, conversation_id, tenant_id, user_id, reply, events,
                                                processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, messageId);
            insert.setObject(2, conversationId);
            insert.setString(3, tenantId);
            insert.setString(4, userId);
            insert.setString(5, reply);
            insert.setString(6, events);
            insert.setTimestamp(7, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        }
    }

    /** Moves the conversation to another version of its bot; its next turn is answered by that version. */
    public void moveToVersion(Connection connection, UUID conversationId, int version, Instant now)
            throws SQLException {
        try (var update = connection.prepareStatement(
                "UPDATE dialogue_state SET bot_version = ?, updated_at = ? WHERE conversation_id = ?")) {
            update.setInt(1, version);
            update.setTimestamp(2, java.sql.Timestamp.from(now));
            update.setObject(3, conversationId);
            update.executeUpdate();
        }
    }

    public void saveState(Connection connection, State state, Instant now) throws SQLException {
        saveState(connection, state, null, now);
    }

    /** Stores the state; {@code userId} (the conversation's user, null when unknown) is kept once known. */
    public void saveState(Connection connection, State state, String userId, Instant now) throws SQLException {
        try (var upsert = connection.prepareStatement("""
                INSERT INTO dialogue_state (conversation_id, tenant_id, bot_id, bot_version, turns, misses, last_intent,
                                            status, flow, handoff_at, updated_at, user_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'handoff' THEN CAST(? AS timestamptz) END, ?, ?)
                ON CONFLICT (conversation_id) DO UPDATE SET turns = EXCLUDED.turns, misses = EXCLUDED.misses,
                    user_id = coalesce(dialogue_state.user_id, EXCLUDED.user_id),
                    last_intent = EXCLUDED.last_intent, status = EXCLUDED.status, flow = EXCLUDED.flow,
                    handoff_at = CASE WHEN EXCLUDED.status = 'handoff'
                                      THEN coalesce(dialogue_state.handoff_at, EXCLUDED.handoff_at) END,
                    updated_at = EXCLUDED.updated_at""")) {
            upsert.setObject(1, state.conversationId());
            upsert.setString(2, state.tenantId());
            upsert.setString(3, state.botId());
            upsert.setInt(4, state.botVersion());
            upsert.setInt(5, state.turns());
            upsert.setInt(6, state.misses());
            upsert.setString(7, state.lastIntent());
            upsert.setString(8, state.status());
            upsert.setString(9, state.flow());
            upsert.setString(10, state.status());
            upsert.setTimestamp(11, Timestamp.from(now));
            upsert.setTimestamp(12, Timestamp.from(now));
            upsert.setString(13, userId);
            upsert.executeUpdate();
        }
    }
}
