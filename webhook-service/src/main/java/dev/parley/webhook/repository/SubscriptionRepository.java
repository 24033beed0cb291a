package dev.parley.webhook.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.parley.webhook.Subscription;

/** Subscriptions in PostgreSQL. Every query is scoped to a tenant except those of the delivery machinery. */
@ApplicationScoped
public class SubscriptionRepository {

    static final String COLUMNS = """
            id, tenant_id, url, event_types, description, secret_ciphertext, previous_secret_ciphertext,
            previous_secret_expires_at, rate_limit_per_second, enabled, disabled_reason, disabled_at, failing_since,
            created_at, updated_at, ordering""";

    public void insert(Connection connection, Subscription s) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO webhook_subscriptions (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, NULL, NULL, NULL, ?, ?, ?)")) {
            insert.setObject(1, s.id());
            insert.setString(2, s.tenantId());
            insert.setString(3, s.url());
            insert.setArray(4, connection.createArrayOf("text", s.eventTypes().toArray()));
            insert.setString(5, s.description());
            insert.setString(6, s.secretCiphertext());
            insert.setObject(7, s.rateLimitPerSecond(), java.sql.Types.INTEGER);
            insert.setBoolean(8, s.enabled());
            insert.setTimestamp(9, Timestamp.from(s.createdAt()));
            insert.setTimestamp(10, Timestamp.from(s.updatedAt()));
            insert.setString(11, s.ordering());
            insert.executeUpdate();
        }
    }

    public int count(Connection connection, String tenantId) throws SQLException {
        try (var query = connection.prepareStatement("SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = ?")) {
            query.setString(1, tenantId);
            try (var rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public List<Subscription> list(Connection connection, String tenantId) throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM webhook_subscriptions WHERE tenant_id = ? ORDER BY created_at DESC, id")) {
            query.setString(1, tenantId);
            return read(query.executeQuery());
        }
    }

    public Optional<Subscription> find(Connection connection, String tenantId, UUID id, boolean forUpdate)
            throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            query.setString(1, tenantId);
            query.setObject(2, id);
            return read(query.executeQuery()).stream().findFirst();
        }
    }

    /** The enabled subscriptions of these tenants: who gets a batch of events. */
    public List<Subscription> enabledOf(Connection connection, Collection<String> tenantIds) throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM webhook_subscriptions WHERE enabled AND tenant_id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", tenantIds.toArray()));
            return read(query.executeQuery());
        }
    }

    public void update(Connection connection, Subscription s) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE webhook_subscriptions SET url = ?, event_types = ?, description = ?, rate_limit_per_second = ?,
                    secret_ciphertext = ?, previous_secret_ciphertext = ?, previous_secret_expires_at = ?,
                    enabled = ?, disabled_reason = ?, disabled_at = ?, failing_since = ?, updated_at = ?, ordering = ?
                WHERE tenant_id = ? AND id = ?""")) {
            update.setString(1, s.url());
            update.setArray(2, connection.createArrayOf("text", s.eventTypes().toArray()));
            update.setString(3, s.description());
            update.setObject(4, s.rateLimitPerSecond(), java.sql.Types.INTEGER);
            update.setString(5, s.secretCiphertext());
            update.setString(6, s.previousSecretCiphertext());
            update.setTimestamp(7, timestamp(s.previousSecretExpiresAt()));
            update.setBoolean(8, s.enabled());
            update.setString(9, s.disabledReason());
            update.setTimestamp(10, timestamp(s.disabledAt()));
            update.setTimestamp(11, timestamp(s.failingSince()));
            update.setTimestamp(12, Timestamp.from(s.updatedAt()));
            update.setString(13, s.ordering());
            update.setString(14, s.tenantId());
            update.setObject(15, s.id());
            update.executeUpdate();
        }
    }

    public boolean delete(Connection connection, String tenantId, UUID id) throws SQLException {
        try (var delete = connection.prepareStatement("DELETE FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?")) {
            delete.setString(1, tenantId);
            delete.setObject(2, id);
            return delete.executeUpdate() == 1;
        }
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static List<Subscription> read(ResultSet rs) throws SQLException {
        try (rs) {
            var result = new ArrayList<Subscription>();
            while (rs.next()) {
                Array types = rs.getArray("event_types");
                result.add(new Subscription(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("url"),
                        Arrays.asList((String[]) types.getArray()), rs.getString("description"),
                        rs.getString("secret_ciphertext"), rs.getString("previous_secret_ciphertext"),
                        instant(rs, "previous_secret_expires_at"), (Integer) rs.getObject("rate_limit_per_second"),
                        rs.getBoolean("enabled"), rs.getString("disabled_reason"), instant(rs, "disabled_at"),
                        instant(rs, "failing_since"), instant(rs, "created_at"), instant(rs, "updated_at"),
                        rs.getString("ordering")));
            }
            return result;
        }
    }
}
