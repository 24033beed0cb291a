package dev.parley.session.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

@ApplicationScoped
public class OutboxRepository {

    @Inject
    AgroalDataSource dataSource;

    /** Adds events in the caller's transaction. */
    public void add(Connection connection, Collection<OutboxEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (var insert = connection.prepareStatement("""
                INSERT INTO outbox (id, topic, record_key, type, tenant_id, bot_id, payload, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (OutboxEvent event : events) {
                insert.setObject(1, event.id());
                insert.setString(2, event.topic());
                insert.setString(3, event.key());
                insert.setString(4, event.type());
                insert.setString(5, event.tenantId());
                insert.setString(6, event.botId());
                insert.setString(7, event.payload());
                insert.setTimestamp(8, Timestamp.from(event.createdAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public void delete(Connection connection, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (var delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
            delete.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            delete.executeUpdate();
        }
    }

    /** Locks (skipping rows another replica holds) and returns events older than the given instant. */
    public List<OutboxEvent> lockStale(Connection connection, Instant olderThan, int limit) throws SQLException {
        try (var select = connection.prepareStatement("""
                SELECT id, topic, record_key, type, tenant_id, bot_id, payload, created_at FROM outbox
                WHERE created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            select.setTimestamp(1, Timestamp.from(olderThan));
            select.setInt(2, limit);
            var rows = select.executeQuery();
            var events = new ArrayList<OutboxEvent>();
            while (rows.next()) {
                events.add(new OutboxEvent(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                        rows.getTimestamp(8).toInstant()));
            }
            return events;
        }
    }
}
