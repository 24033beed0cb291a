package dev.parley.dialogue.repository;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

@ApplicationScoped
public class BotRepository {

    /** A stored version of a bot; {@code definition} is its JSON. */
    public record StoredBot(String tenantId, String botId, int version, String definition) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Optional<StoredBot> latestPublished(String tenantId, String botId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("""
                        SELECT version, definition FROM bots WHERE tenant_id = ? AND id = ? AND status = 'published'
                        ORDER BY version DESC LIMIT 1""")) {
            select.setString(1, tenantId);
            select.setString(2, botId);
            var row = select.executeQuery();
            return row.next() ? Optional.of(new StoredBot(tenantId, botId, row.getInt(1), row.getString(2)))
                    : Optional.empty();
        }
    }

    public Optional<StoredBot> version(String tenantId, String botId, int version) throws SQLException {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement(
                        "SELECT definition FROM bots WHERE tenant_id = ? AND id = ? AND version = ?")) {
            select.setString(1, tenantId);
            select.setString(2, botId);
            select.setInt(3, version);
            var row = select.executeQuery();
            return row.next() ? Optional.of(new StoredBot(tenantId, botId, version, row.getString(1)))
                    : Optional.empty();
        }
    }

    /** Stores a new published version and returns its number. */
    public int publish(String tenantId, String botId, String definition) throws SQLException {
        try (var connection = dataSource.getConnection();
                var insert = connection.prepareStatement("""
                        INSERT INTO bots (tenant_id, id, version, status, definition, created_at)
                        SELECT ?, ?, COALESCE(MAX(version), 0) + 1, 'published', ?, ? FROM bots
                        WHERE tenant_id = ? AND id = ? RETURNING version""")) {
            insert.setString(1, tenantId);
            insert.setString(2, botId);
            insert.setString(3, definition);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.setString(5, tenantId);
            insert.setString(6, botId);
            var row = insert.executeQuery();
            row.next();
            return row.getInt(1);
        }
    }
}
