package dev.parley.gateway.repository;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.gateway.security.Caller;
import io.agroal.api.AgroalDataSource;

@ApplicationScoped
public class ApiKeyRepository {

    @Inject
    AgroalDataSource dataSource;

    public Optional<Caller> findActiveByHash(String hash) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("""
                        SELECT k.id, k.tenant_id, k.scopes, t.default_bot_id FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
                        WHERE k.key_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())""")) {
            select.setString(1, hash);
            var row = select.executeQuery();
            if (!row.next()) {
                return Optional.empty();
            }
            var scopes = Set.copyOf(Arrays.asList((String[]) row.getArray(3).getArray()));
            return Optional.of(new Caller(row.getString(2), row.getObject(1, UUID.class).toString(), scopes,
                    row.getString(4)));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check an API key", e);
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
                    INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING""")) {
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
}
