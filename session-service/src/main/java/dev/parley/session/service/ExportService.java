package dev.parley.session.service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.config.SessionConfig;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;

/**
 * Exports written while they are read: rows come from a server-side cursor ({@code fetchSize} rows per round
 * trip, inside a transaction, which is what makes the PostgreSQL driver stream) and go straight to the response,
 * so memory stays flat however many rows there are.
 */
@ApplicationScoped
public class ExportService {

    @Inject
    Transactions transactions;
    @Inject
    SessionConfig config;
    @Inject
    ObjectMapper json;

    /** 404 before anything is written when the service holds nothing about the user. */
    public void requireKnown(String tenantId, String userId) throws SQLException {
        boolean known = transactions.run(connection -> {
            try (var select = connection.prepareStatement("""
                    SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = ? AND user_id = ?)
                        OR EXISTS (SELECT 1 FROM conversations WHERE tenant_id = ? AND user_id = ?)""")) {
                select.setString(1, tenantId);
                select.setString(2, userId);
                select.setString(3, tenantId);
                select.setString(4, userId);
                var row = select.executeQuery();
                row.next();
                return row.getBoolean(1);
            }
        });
        if (!known) {
            throw UserService.notFound(userId);
        }
    }

    /** The data access document: profile and attributes, sessions, conversations with every message. */
    public void writeUser(String tenantId, String userId, OutputStream out) throws IOException {
        try (JsonGenerator g = json.createGenerator(out)) {
            transactions.run(connection -> {
                try {
                    g.writeStartObject();
                    g.writeStringField("tenantId", tenantId);
                    g.writeStringField("userId", userId);
                    g.writeStringField("exportedAt", SessionRepository.now().toString());
                    writeProfile(connection, g, tenantId, userId);
                    writeSessions(connection, g, tenantId, userId);
                    writeConversations(connection, g, tenantId, userId);
                    g.writeEndObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IOException("export failed: " + e.getMessage(), e);
        }
    }

    private void writeProfile(Connection connection, JsonGenerator g, String tenantId, String userId)
            throws SQLException, IOException {
        try (var select = connection.prepareStatement(
                "SELECT attributes::text, created_at, updated_at FROM users WHERE tenant_id = ? AND user_id = ?")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            var row = select.executeQuery();
            g.writeFieldName("profile");
            if (!row.next()) {
                g.writeNull();
                return;
            }
            g.writeStartObject();
            g.writeFieldName("attributes");
            g.writeRawValue(row.getString(1));
            time(g, "createdAt", row.getTimestamp(2));
            time(g, "updatedAt", row.getTimestamp(3));
            g.writeEndObject();
        }
    }

    private void writeSessions(Connection connection, JsonGenerator g, String tenantId, String userId)
            throws SQLException, IOException {
        try (var select = streaming(connection, """
                SELECT id, conversation_id, bot_id, created_at, expires_at FROM sessions
                WHERE tenant_id = ? AND user_id = ? ORDER BY created_at, id""")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            var rows = select.executeQuery();
            g.writeArrayFieldStart("sessions");
            while (rows.next()) {
                g.writeStartObject();
                g.writeStringField("sessionId", rows.getObject(1, UUID.class).toString());
                g.writeStringField("conversationId", rows.getObject(2, UUID.class).toString());
                g.writeStringField("botId", rows.getString(3));
                time(g, "createdAt", rows.getTimestamp(4));
                time(g, "expiresAt", rows.getTimestamp(5));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    private void writeConversations(Connection connection, JsonGenerator g, String tenantId, String userId)
            throws SQLException, IOException {
        try (var select = streaming(connection, """
                SELECT c.id, c.bot_id, c.status, c.started_at, c.last_activity_at, c.ended_at, c.outcome,
                       m.id, m.role, m.text, m.created_at, m.in_reply_to, m.intent_name, m.intent_confidence,
                       m.details::text
                FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id
                WHERE c.tenant_id = ? AND c.user_id = ?
                ORDER BY c.started_at, c.id, m.turn_at, m.turn_id, m.position""")) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            var rows = select.executeQuery();
            g.writeArrayFieldStart("conversations");
            UUID current = null;
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                if (!id.equals(current)) {
                    if (current != null) {
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                    current = id;
                    g.writeStartObject();
                    g.writeStringField("conversationId", id.toString());
                    g.writeStringField("botId", rows.getString(2));
                    g.writeStringField("status", rows.getString(3));
                    time(g, "startedAt", rows.getTimestamp(4));
                    time(g, "lastActivityAt", rows.getTimestamp(5));
                    time(g, "endedAt", rows.getTimestamp(6));
                    g.writeStringField("outcome", rows.getString(7));
                    g.writeArrayFieldStart("messages");
                }
                UUID messageId = rows.getObject(8, UUID.class);
                if (messageId == null) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("messageId", messageId.toString());
                g.writeStringField("role", rows.getString(9));
                g.writeStringField("text", rows.getString(10));
                time(g, "createdAt", rows.getTimestamp(11));
                UUID inReplyTo = rows.getObject(12, UUID.class);
                if (inReplyTo != null) {
                    g.writeStringField("inReplyTo", inReplyTo.toString());
                }
                if (rows.getString(13) != null) {
                    g.writeObjectFieldStart("intent");
                    g.writeStringField("name", rows.getString(13));
                    g.writeNumberField("confidence", rows.getDouble(14));
                    g.writeEndObject();
                }
                if (rows.getString(15) != null) {
                    g.writeFieldName("details");
                    g.writeRawValue(rows.getString(15));
                }
                g.writeEndObject();
            }
            if (current != null) {
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    // ----- analytics ----------------------------------------------------------------------------------------

    public enum Format {
        NDJSON, CSV;

        public static Format of(String value) {
            if (value == null || value.isBlank() || value.equalsIgnoreCase("ndjson")) {
                return NDJSON;
            }
            if (value.equalsIgnoreCase("csv")) {
                return CSV;
            }
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "format must be ndjson or csv");
        }

        public String mediaType() {
            return this == CSV ? "text/csv" : "application/x-ndjson";
        }
    }

    private static final String[] MESSAGE_COLUMNS = { "messageId", "conversationId", "botId", "userId", "role",
            "text", "intent", "confidence", "createdAt" };
    private static final String[] CONVERSATION_COLUMNS = { "conversationId", "botId", "userId", "status",
            "startedAt", "lastActivityAt", "endedAt", "outcome", "messageCount" };

    /** Every message of the tenant created in [from, to), oldest first. */
    public void writeMessages(String tenantId, Instant from, Instant to, Format format, OutputStream out)
            throws IOException {
        writeRows(out, format, MESSAGE_COLUMNS, """
                SELECT m.id::text, m.conversation_id::text, c.bot_id, c.user_id, m.role, m.text, m.intent_name,
                       m.intent_confidence, m.created_at
                FROM messages m JOIN conversations c ON c.id = m.conversation_id
                WHERE m.tenant_id = ? AND m.created_at >= ? AND m.created_at < ?
                ORDER BY m.created_at, m.turn_id, m.position""", tenantId, from, to);
    }

    /** Every conversation of the tenant started in [from, to), oldest first. */
    public void writeConversations(String tenantId, Instant from, Instant to, Format format, OutputStream out)
            throws IOException {
        writeRows(out, format, CONVERSATION_COLUMNS, """
                SELECT id::text, bot_id, user_id, status, started_at, last_activity_at, ended_at, outcome, message_count
                FROM conversations WHERE tenant_id = ? AND started_at >= ? AND started_at < ?
                ORDER BY started_at""", tenantId, from, to);
    }

    private void writeRows(OutputStream out, Format format, String[] columns, String sql, String tenantId,
            Instant from, Instant to) throws IOException {
        try {
            transactions.run(connection -> {
                try (var select = streaming(connection, sql)) {
                    select.setString(1, tenantId);
                    select.setTimestamp(2, Timestamp.from(from));
                    select.setTimestamp(3, Timestamp.from(to));
                    var rows = select.executeQuery();
                    if (format == Format.CSV) {
                        writeCsv(rows, columns, out);
                    } else {
                        writeNdjson(rows, columns, out);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IOException("export failed: " + e.getMessage(), e);
        }
    }

    private void writeNdjson(ResultSet rows, String[] columns, OutputStream out) throws SQLException, IOException {
        var g = json.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        while (rows.next()) {
            g.writeStartObject();
            for (int i = 0; i < columns.length; i++) {
                Object value = rows.getObject(i + 1);
                g.writeFieldName(columns[i]);
                if (value == null) {
                    g.writeNull();
                } else if (value instanceof Timestamp t) {
                    g.writeString(t.toInstant().toString());
                } else if (value instanceof Number n) {
                    g.writeNumber(n.toString());
                } else {
                    g.writeString(value.toString());
                }
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
        g.close();
    }

    private static void writeCsv(ResultSet rows, String[] columns, OutputStream out) throws SQLException, IOException {
        var writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out,
                java.nio.charset.StandardCharsets.UTF_8), 16 * 1024);
        writer.write(String.join(",", columns));
        writer.write("\r\n");
        while (rows.next()) {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    writer.write(',');
                }
                Object value = rows.getObject(i + 1);
                if (value != null) {
                    writer.write(csv(value instanceof Timestamp t ? t.toInstant().toString() : value.toString()));
                }
            }
            writer.write("\r\n");
        }
        writer.flush();
    }

    /** RFC 4180 quoting. */
    static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private PreparedStatement streaming(Connection connection, String sql) throws SQLException {
        var statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(config.export().fetchSize());
        return statement;
    }

    private static void time(JsonGenerator g, String field, Timestamp value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value.toInstant().toString());
        }
    }
}
