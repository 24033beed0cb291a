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

    /** A version as listed: no definition. */
    public record VersionInfo(int version, String status, Instant createdAt) {
    }

    /** Stores a new version (draft or published) and returns its number. */
    public int save(String tenantId, String botId, String definition, boolean published) throws SQLException {
        try (var connection = dataSource.getConnection();
                var insert = connection.prepareStatement("""
                        INSERT INTO bots (tenant_id, id, version, status, definition, created_at)
                        SELECT ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM bots
                        WHERE tenant_id = ? AND id = ? RETURNING version""")) {
            insert.setString(1, tenantId);
            insert.setString(2, botId);
            insert.setString(3, published ? "published" : "draft");
            insert.setString(4, definition);
            insert.setTimestamp(5, Timestamp.from(Instant.now()));
            insert.setString(6, tenantId);
            insert.setString(7, botId);
            var row = insert.executeQuery();
            row.next();
            return row.getInt(1);
        }
    }

    /** Publishes a draft; false when there is no such draft. */
    public boolean publishDraft(String tenantId, String botId, int version) throws SQLException {
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("""
                        UPDATE bots SET status = 'published' WHERE tenant_id = ? AND id = ? AND version = ?
                        AND status = 'draft'""")) {
            update.setString(1, tenantId);
            update.setString(2, botId);
            update.setInt(3, version);
            return update.executeUpdate() == 1;
        }
    }

    public java.util.List<VersionInfo> versions(String tenantId, String botId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("""
                        SELECT version, status, created_at FROM bots WHERE tenant_id = ? AND id = ?
                        ORDER BY version DESC""")) {
            select.setString(1, tenantId);
            select.setString(2, botId);
            var row = select.executeQuery();
            var versions = new java.util.ArrayList<VersionInfo>();
            while (row.next()) {
                versions.add(new VersionInfo(row.getInt(1), row.getString(2), row.getTimestamp(3).toInstant()));
            }
            return versions;
        }
    }

    /** The ids of the tenant's bots, in order. */
    public java.util.List<String> botIds(String tenantId) throws SQLException {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement(
                        "SELECT DISTINCT id FROM bots WHERE tenant_id = ? ORDER BY id")) {
            select.setString(1, tenantId);
            var row = select.executeQuery();
            var ids = new java.util.ArrayList<String>();
            while (row.next()) {
                ids.add(row.getString(1));
            }
            return ids;
        }
    }
}
