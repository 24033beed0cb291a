package dev.parley.gateway.repository;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.gateway.security.Caller;
import io.agroal.api.AgroalDataSource;

/** API keys and tenants in the gateway's database. Keys are stored as a keyed hash only. */
@ApplicationScoped
public class ApiKeyRepository {

    /** A stored key: everything but the secret, which is never stored. */
    public record StoredKey(UUID id, String tenantId, String name, String prefix, String keyHash, Set<String> scopes,
            Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, UUID replaces,
            String createdBy, String defaultBotId) {

        public boolean activeAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }

        public Caller caller() {
            return new Caller(tenantId, id.toString(), scopes, defaultBotId);
        }
    }

    private static final String COLUMNS = """
            k.id, k.tenant_id, k.name, k.prefix, k.key_hash, k.scopes, k.created_at, k.expires_at, k.revoked_at,
            k.last_used_at, k.replaces, k.created_by, t.default_bot_id FROM api_keys k JOIN tenants t ON t.id = k.tenant_id""";

    @Inject
    AgroalDataSource dataSource;

    public Optional<Caller> findActiveByHash(String hash) {
        return findByHash(hash).filter(key -> key.activeAt(Instant.now())).map(StoredKey::caller);
    }

    /** The key with this hash, whatever its state, so that a cached entry can honour its own expiry. */
    public Optional<StoredKey> findByHash(String hash) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT " + COLUMNS + " WHERE k.key_hash = ?")) {
            select.setString(1, hash);
            return one(select.executeQuery());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check an API key", e);
        }
    }

    public Optional<StoredKey> find(String tenantId, UUID id) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT " + COLUMNS + " WHERE k.tenant_id = ? AND k.id = ?")) {
            select.setString(1, tenantId);
            select.setObject(2, id);
            return one(select.executeQuery());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read an API key", e);
        }
    }

    public List<StoredKey> list(String tenantId, int limit) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " WHERE k.tenant_id = ? ORDER BY k.created_at DESC, k.id LIMIT ?")) {
            select.setString(1, tenantId);
            select.setInt(2, limit);
            var rows = select.executeQuery();
            var keys = new ArrayList<StoredKey>();
            while (rows.next()) {
                keys.add(read(rows));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list API keys", e);
        }
    }

    public boolean tenantExists(String tenantId) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT 1 FROM tenants WHERE id = ?")) {
            select.setString(1, tenantId);
            return select.executeQuery().next();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read a tenant", e);
        }
    }

    public void insert(StoredKey key) {
        try (var connection = dataSource.getConnection()) {
            insert(connection, key);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store an API key", e);
        }
    }

    /**
     * Stores the successor of a key and lets the old one live only until {@code graceUntil} (or its own earlier
     * expiry), in one transaction. Empty when the old key is unknown, revoked or expired.
     */
    public Optional<StoredKey> rotate(String tenantId, UUID oldId, StoredKey successor, Instant graceUntil) {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (var update = connection.prepareStatement("""
                    UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, ?), ?)
                    WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())""")) {
                update.setTimestamp(1, Timestamp.from(graceUntil));
                update.setTimestamp(2, Timestamp.from(graceUntil));
                update.setString(3, tenantId);
                update.setObject(4, oldId);
                if (update.executeUpdate() == 0) {
                    connection.rollback();
                    return Optional.empty();
                }
                insert(connection, successor);
                connection.commit();
                return Optional.of(successor);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not rotate an API key", e);
        }
    }

    /** Revokes a key; empty when it is unknown in this tenant. Revoking twice keeps the first time. */
    public Optional<StoredKey> revoke(String tenantId, UUID id) {
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement(
                        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = ? AND id = ?")) {
            update.setString(1, tenantId);
            update.setObject(2, id);
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not revoke an API key", e);
        }
        return find(tenantId, id);
    }

    /** Records last-use times in one statement; a time never moves backwards. */
    public void touch(Map<UUID, Instant> lastUsed) {
        if (lastUsed.isEmpty()) {
            return;
        }
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("""
                        UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.used_at)
                        FROM unnest(?::uuid[], ?::timestamptz[]) AS u(id, used_at) WHERE k.id = u.id""")) {
            var ids = new UUID[lastUsed.size()];
            var times = new Timestamp[lastUsed.size()];
            int i = 0;
            for (var entry : lastUsed.entrySet()) {
                ids[i] = entry.getKey();
                times[i++] = Timestamp.from(entry.getValue());
            }
            update.setArray(1, connection.createArrayOf("uuid", ids));
            update.setArray(2, connection.createArrayOf("timestamptz", times));
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record API key use", e);
        }
    }

    /** Creates the tenant if it is missing, and the key if no key with this hash exists. */
    public void ensure(String tenantId, String defaultBotId, String name, String prefix, String hash, Set<String> scopes)
            throws SQLException {
        try (var connection = dataSource.getConnection()) {
            try (var tenant = connection.prepareStatement("""
                    INSERT INTO tenants (id, name, default_bot_id, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET default_bot_id = COALESCE(EXCLUDED.default_bot_id, tenants.default_bot_id)""")) {
                tenant.setString(1, tenantId);
                tenant.setString(2, tenantId);
                tenant.setString(3, defaultBotId);
                tenant.setTimestamp(4, Timestamp.from(Instant.now()));
                tenant.executeUpdate();
            }
            try (var key = connection.prepareStatement("""
                    INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'bootstrap') ON CONFLICT (key_hash) DO NOTHING""")) {
                key.setObject(1, UUID.randomUUID());
                key.setString(2, tenantId);
                key.setString(3, name);
                key.setString(4, prefix);
                key.setString(5, hash);
                key.setArray(6, connection.createArrayOf("text", scopes.toArray()));
                key.setTimestamp(7, Timestamp.from(Instant.now()));
                key.executeUpdate();
            }
        }
    }

    private static void insert(Connection connection, StoredKey key) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes, created_at, expires_at, replaces, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, key.id());
            insert.setString(2, key.tenantId());
            insert.setString(3, key.name());
            insert.setString(4, key.prefix());
            insert.setString(5, key.keyHash());
            insert.setArray(6, connection.createArrayOf("text", key.scopes().toArray()));
            insert.setTimestamp(7, Timestamp.from(key.createdAt()));
            insert.setTimestamp(8, key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()));
            insert.setObject(9, key.replaces());
            insert.setString(10, key.createdBy());
            insert.executeUpdate();
        }
    }

    private static Optional<StoredKey> one(ResultSet rows) throws SQLException {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
    }

    private static StoredKey read(ResultSet row) throws SQLException {
        return new StoredKey(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), Set.copyOf(Arrays.asList((String[]) row.getArray(6).getArray())), instant(row, 7),
                instant(row, 8), instant(row, 9), instant(row, 10), row.getObject(11, UUID.class), row.getString(12),
                row.getString(13));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
