package dev.parley.session.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.parley.session.ConversationView;
import dev.parley.session.SessionView;

@ApplicationScoped
public class SessionRepository {

    public void insertConversation(Connection connection, ConversationView conversation) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO conversations (id, tenant_id, bot_id, user_id, status, started_at, last_activity_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, UUID.fromString(conversation.conversationId()));
            insert.setString(2, conversation.tenantId());
            insert.setString(3, conversation.botId());
            insert.setString(4, conversation.userId());
            insert.setString(5, conversation.status());
            insert.setTimestamp(6, Timestamp.from(conversation.startedAt()));
            insert.setTimestamp(7, Timestamp.from(conversation.lastActivityAt()));
            insert.executeUpdate();
        }
    }

    public void insertSession(Connection connection, SessionView session) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO sessions (id, tenant_id, conversation_id, user_id, bot_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, UUID.fromString(session.sessionId()));
            insert.setString(2, session.tenantId());
            insert.setObject(3, UUID.fromString(session.conversationId()));
            insert.setString(4, session.userId());
            insert.setString(5, session.botId());
            insert.setTimestamp(6, Timestamp.from(session.createdAt()));
            insert.setTimestamp(7, Timestamp.from(session.expiresAt()));
            insert.executeUpdate();
        }
    }

    public Optional<ConversationView> findConversation(Connection connection, String tenantId, UUID id)
            throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + CONVERSATION_COLUMNS
                + " FROM conversations WHERE id = ? AND tenant_id = ?")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var row = select.executeQuery();
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(conversation(row));
        }
    }

    public static final String CONVERSATION_COLUMNS =
            "id, tenant_id, bot_id, user_id, status, started_at, last_activity_at, message_count, ended_at, outcome";

    /** Reads a row selected with {@link #CONVERSATION_COLUMNS}. */
    public static ConversationView conversation(java.sql.ResultSet row) throws SQLException {
        var ended = row.getTimestamp(9);
        return new ConversationView(row.getObject(1, UUID.class).toString(), row.getString(2), row.getString(3),
                row.getString(4), row.getString(5), row.getTimestamp(6).toInstant(), row.getTimestamp(7).toInstant(),
                row.getInt(8), ended == null ? null : ended.toInstant(), row.getString(10));
    }

    public Optional<SessionView> findSession(Connection connection, String tenantId, UUID id) throws SQLException {
        try (var select = connection.prepareStatement("""
                SELECT id, tenant_id, conversation_id, user_id, bot_id, created_at, expires_at
                FROM sessions WHERE id = ? AND tenant_id = ?""")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var row = select.executeQuery();
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new SessionView(row.getObject(1, UUID.class).toString(), row.getString(2),
                    row.getObject(3, UUID.class).toString(), row.getString(4), row.getString(5),
                    row.getTimestamp(6).toInstant(), row.getTimestamp(7).toInstant(), false));
        }
    }

    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
