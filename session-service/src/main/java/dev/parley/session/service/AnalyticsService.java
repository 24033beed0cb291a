package dev.parley.session.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.session.AnalyticsSummary;
import dev.parley.session.repository.Transactions;

/** Aggregates computed by the database, so a summary costs a few index scans, never a full read into memory. */
@ApplicationScoped
public class AnalyticsService {

    /** The intent name the dialogue engine reports when nothing matched. */
    public static final String FALLBACK_INTENT = "fallback";
    static final int TOP_INTENTS = 10;

    @Inject
    Transactions transactions;

    public AnalyticsSummary summary(String tenantId, Instant from, Instant to) throws SQLException {
        return transactions.run(connection -> {
            var perDay = new ArrayList<AnalyticsSummary.DayCount>();
            long turns = 0;
            try (var select = prepare(connection, """
                    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) FROM messages
                    WHERE tenant_id = ? AND role = 'user' AND created_at >= ? AND created_at < ?
                    GROUP BY day ORDER BY day""", tenantId, from, to)) {
                var rows = select.executeQuery();
                while (rows.next()) {
                    perDay.add(new AnalyticsSummary.DayCount(rows.getObject(1, java.time.LocalDate.class),
                            rows.getLong(2)));
                    turns += rows.getLong(2);
                }
            }
            var top = new ArrayList<AnalyticsSummary.IntentCount>();
            try (var select = prepare(connection, """
                    SELECT intent_name, count(*) FROM messages
                    WHERE tenant_id = ? AND role = 'bot' AND position = 1 AND intent_name IS NOT NULL
                      AND created_at >= ? AND created_at < ?
                    GROUP BY intent_name ORDER BY count(*) DESC, intent_name LIMIT""" + " " + TOP_INTENTS,
                    tenantId, from, to)) {
                var rows = select.executeQuery();
                while (rows.next()) {
                    top.add(new AnalyticsSummary.IntentCount(rows.getString(1), rows.getLong(2)));
                }
            }
            double fallbackRate;
            try (var select = prepare(connection, "SELECT count(*), count(*) FILTER (WHERE intent_name = '"
                    + FALLBACK_INTENT + "') FROM messages"
                    + " WHERE tenant_id = ? AND role = 'bot' AND position = 1 AND created_at >= ? AND created_at < ?",
                    tenantId, from, to)) {
                var row = select.executeQuery();
                row.next();
                fallbackRate = ratio(row.getLong(2), row.getLong(1));
            }
            long conversations;
            double handoffRate;
            try (var select = prepare(connection, """
                    SELECT count(*), count(*) FILTER (WHERE handoff_at IS NOT NULL) FROM conversations
                    WHERE tenant_id = ? AND started_at >= ? AND started_at < ?""", tenantId, from, to)) {
                var row = select.executeQuery();
                row.next();
                conversations = row.getLong(1);
                handoffRate = ratio(row.getLong(2), row.getLong(1));
            }
            double averageTurns;
            try (var select = prepare(connection, """
                    SELECT count(*), count(DISTINCT conversation_id) FROM messages
                    WHERE tenant_id = ? AND role = 'user' AND created_at >= ? AND created_at < ?""",
                    tenantId, from, to)) {
                var row = select.executeQuery();
                row.next();
                averageTurns = ratio(row.getLong(1), row.getLong(2));
            }
            return new AnalyticsSummary(from, to, turns, conversations, perDay, top, fallbackRate, handoffRate,
                    averageTurns);
        });
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 10000.0 / whole) / 10000.0;
    }

    private static java.sql.PreparedStatement prepare(Connection connection, String sql, String tenantId,
            Instant from, Instant to) throws SQLException {
        var statement = connection.prepareStatement(sql);
        statement.setString(1, tenantId);
        statement.setTimestamp(2, Timestamp.from(from));
        statement.setTimestamp(3, Timestamp.from(to));
        return statement;
    }
}
