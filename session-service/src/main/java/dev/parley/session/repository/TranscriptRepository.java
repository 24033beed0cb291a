package dev.parley.session.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.events.Intent;
import dev.parley.session.Cursor;
import dev.parley.session.StoredMessage;

@ApplicationScoped
public class TranscriptRepository {

    /** A row to insert. {@code details} holds quick replies, suggested actions and metadata as JSON. */
    public record NewMessage(UUID id, UUID conversationId, String tenantId, String role, String text, Instant turnAt,
            UUID turnId, int position, UUID inReplyTo, Intent intent, Map<String, Object> details, Instant createdAt) {
    }

    @Inject
    ObjectMapper json;

    /**
     * Inserts the messages that are not stored yet and returns, for each, whether it was new. A message seen
     * before (a redelivered record) is left as it is.
     */
    public boolean[] insertNew(Connection connection, List<NewMessage> messages) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO messages (id, conversation_id, tenant_id, role, text, turn_at, turn_id, position,
                                      in_reply_to, intent_name, intent_confidence, details, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT DO NOTHING""")) {
            for (NewMessage m : messages) {
                insert.setObject(1, m.id());
                insert.setObject(2, m.conversationId());
                insert.setString(3, m.tenantId());
                insert.setString(4, m.role());
                insert.setString(5, m.text());
                insert.setTimestamp(6, Timestamp.from(m.turnAt()));
                insert.setObject(7, m.turnId());
                insert.setInt(8, m.position());
                insert.setObject(9, m.inReplyTo());
                insert.setString(10, m.intent() == null ? null : m.intent().name());
                if (m.intent() == null) {
                    insert.setNull(11, Types.DOUBLE);
                } else {
                    insert.setDouble(11, m.intent().confidence());
                }
                insert.setString(12, toJson(m.details()));
                insert.setTimestamp(13, Timestamp.from(m.createdAt()));
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            boolean[] inserted = new boolean[counts.length];
            for (int i = 0; i < counts.length; i++) {
                inserted[i] = counts[i] > 0;
            }
            return inserted;
        }
    }

    /** Counts the new messages into their conversations' totals and activity time. */
    public void touchConversations(Connection connection, Map<UUID, Integer> newMessagesPerConversation, Instant now)
            throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE conversations SET message_count = message_count + ?, last_activity_at = GREATEST(last_activity_at, ?)
                WHERE id = ?""")) {
            for (var entry : newMessagesPerConversation.entrySet()) {
                update.setInt(1, entry.getValue());
                update.setTimestamp(2, Timestamp.from(now));
                update.setObject(3, entry.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** Up to {@code limit} messages before (older than) the cursor, or the newest ones without a cursor; oldest first. */
    public List<StoredMessage> before(Connection connection, UUID conversationId, Cursor cursor, int limit)
            throws SQLException {
        String where = cursor == null ? "" : " AND (turn_at, turn_id, position) < (?, ?, ?)";
        try (var select = connection.prepareStatement(SELECT + " WHERE conversation_id = ?" + where
                + " ORDER BY turn_at DESC, turn_id DESC, position DESC LIMIT ?")) {
            int next = bindPosition(select, conversationId, cursor);
            select.setInt(next, limit);
            var page = read(select.executeQuery());
            java.util.Collections.reverse(page);
            return page;
        }
    }

    /** Up to {@code limit} messages after (newer than) the cursor; oldest first. */
    public List<StoredMessage> after(Connection connection, UUID conversationId, Cursor cursor, int limit)
            throws SQLException {
        try (var select = connection.prepareStatement(SELECT
                + " WHERE conversation_id = ? AND (turn_at, turn_id, position) > (?, ?, ?)"
                + " ORDER BY turn_at, turn_id, position LIMIT ?")) {
            int next = bindPosition(select, conversationId, cursor);
            select.setInt(next, limit);
            return read(select.executeQuery());
        }
    }

    private static final String SELECT = """
            SELECT id, role, text, turn_at, turn_id, position, in_reply_to, intent_name, intent_confidence, details,
                   created_at FROM messages""";

    private static int bindPosition(PreparedStatement select, UUID conversationId, Cursor cursor) throws SQLException {
        select.setObject(1, conversationId);
        if (cursor == null) {
            return 2;
        }
        select.setTimestamp(2, Timestamp.from(cursor.turnAt()));
        select.setObject(3, cursor.turnId());
        select.setInt(4, cursor.position());
        return 5;
    }

    @SuppressWarnings("unchecked")
    private List<StoredMessage> read(ResultSet rows) throws SQLException {
        var messages = new ArrayList<StoredMessage>();
        while (rows.next()) {
            var cursor = new Cursor(rows.getTimestamp(4).toInstant(), rows.getObject(5, UUID.class), rows.getInt(6));
            String intentName = rows.getString(8);
            Intent intent = intentName == null ? null : new Intent(intentName, rows.getDouble(9));
            Map<String, Object> details = fromJson(rows.getString(10));
            UUID inReplyTo = rows.getObject(7, UUID.class);
            messages.add(new StoredMessage(rows.getObject(1, UUID.class).toString(), rows.getString(2),
                    rows.getString(3), rows.getTimestamp(11).toInstant(),
                    inReplyTo == null ? null : inReplyTo.toString(), intent,
                    details == null ? null : json.convertValue(details.get("quickReplies"),
                            json.getTypeFactory().constructCollectionType(List.class, dev.parley.common.events.QuickReply.class)),
                    details == null ? null : json.convertValue(details.get("suggestedActions"),
                            json.getTypeFactory().constructCollectionType(List.class, dev.parley.common.events.SuggestedAction.class)),
                    details == null ? null : (Map<String, Object>) details.get("metadata"),
                    cursor.encode(),
                    details == null || details.get("sources") == null ? null : json.convertValue(details.get("sources"),
                            json.getTypeFactory().constructCollectionType(List.class, dev.parley.common.events.KnowledgeSource.class))));
        }
        return messages;
    }

    private String toJson(Map<String, Object> details) {
        if (details == null || details.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("details are not serialisable", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fromJson(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored details are not JSON", e);
        }
    }
}
