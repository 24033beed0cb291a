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

    public record State(UUID conversationId, String tenantId, String botId, int botVersion, int turns, int misses,
            String lastIntent) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public Optional<String> processedReply(Connection connection, UUID messageId) throws SQLException {
        try (var select = connection.prepareStatement("SELECT reply FROM processed_messages WHERE message_id = ?")) {
            select.setObject(1, messageId);
            var row = select.executeQuery();
            return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        }
    }

    public Optional<State> state(Connection connection, UUID conversationId) throws SQLException {
        try (var select = connection.prepareStatement("""
                SELECT tenant_id, bot_id, bot_version, turns, misses, last_intent FROM dialogue_state
                WHERE conversation_id = ?""")) {
            select.setObject(1, conversationId);
            var row = select.executeQuery();
            return row.next()
                    ? Optional.of(new State(conversationId, row.getString(1), row.getString(2), row.getInt(3),
                            row.getInt(4), row.getInt(5), row.getString(6)))
                    : Optional.empty();
        }
    }

    /** Records the message as processed with its reply; false when another consumer got there first. */
    public boolean markProcessed(Connection connection, UUID messageId, UUID conversationId, String reply, Instant now)
            throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO processed_messages (message_id, conversation_id, reply, processed_at) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, messageId);
            insert.setObject(2, conversationId);
            insert.setString(3, reply);
            insert.setTimestamp(4, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        }
    }

    public void saveState(Connection connection, State state, Instant now) throws SQLException {
        try (var upsert = connection.prepareStatement("""
                INSERT INTO dialogue_state (conversation_id, tenant_id, bot_id, bot_version, turns, misses, last_intent,
                                            updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (conversation_id) DO UPDATE SET turns = EXCLUDED.turns, misses = EXCLUDED.misses,
                    last_intent = EXCLUDED.last_intent, updated_at = EXCLUDED.updated_at""")) {
            upsert.setObject(1, state.conversationId());
            upsert.setString(2, state.tenantId());
            upsert.setString(3, state.botId());
            upsert.setInt(4, state.botVersion());
            upsert.setInt(5, state.turns());
            upsert.setInt(6, state.misses());
            upsert.setString(7, state.lastIntent());
            upsert.setTimestamp(8, Timestamp.from(now));
            upsert.executeUpdate();
        }
    }
}
