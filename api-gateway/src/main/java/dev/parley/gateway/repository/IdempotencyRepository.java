package dev.parley.gateway.repository;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/** The first result of each POST sent with an Idempotency-Key, per tenant. */
@ApplicationScoped
public class IdempotencyRepository {

    public record Stored(String fingerprint, boolean completed, int status, String headers, byte[] body) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Claims the key for a new request: true when this request may run (no record, an expired one, or one whose
     * request has been in flight longer than {@code inFlightTimeout}, so its replica presumably died).
     */
    public boolean claim(String tenantId, String key, String fingerprint, Duration keepFor, Duration inFlightTimeout) {
        try (var connection = dataSource.getConnection();
                var insert = connection.prepareStatement("""
                        INSERT INTO idempotency_records (tenant_id, idempotency_key, fingerprint, state, created_at, expires_at)
                        VALUES (?, ?, ?, 'in_flight', now(), now() + ? * interval '1 millisecond')
                        ON CONFLICT (tenant_id, idempotency_key) DO UPDATE
                        SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight', status = NULL, headers = NULL,
                            body = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
                        WHERE idempotency_records.expires_at < now()
                           OR (idempotency_records.state = 'in_flight'
                               AND idempotency_records.created_at < now() - ? * interval '1 millisecond')""")) {
            insert.setString(1, tenantId);
            insert.setString(2, key);
            insert.setString(3, fingerprint);
            insert.setLong(4, keepFor.toMillis());
            insert.setLong(5, inFlightTimeout.toMillis());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not claim an idempotency key", e);
        }
    }

    public Optional<Stored> find(String tenantId, String key) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("""
                        SELECT fingerprint, state, status, headers::text, body FROM idempotency_records
                        WHERE tenant_id = ? AND idempotency_key = ? AND expires_at >= now()""")) {
            select.setString(1, tenantId);
            select.setString(2, key);
            var row = select.executeQuery();
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new Stored(row.getString(1), "completed".equals(row.getString(2)), row.getInt(3),
                    row.getString(4), row.getBytes(5)));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read an idempotency record", e);
        }
    }

    public void complete(String tenantId, String key, String fingerprint, int status, String headersJson, byte[] body) {
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("""
                        UPDATE idempotency_records SET state = 'completed', status = ?, headers = ?::jsonb, body = ?
                        WHERE tenant_id = ? AND idempotency_key = ? AND fingerprint = ? AND state = 'in_flight'""")) {
            update.setInt(1, status);
            update.setString(2, headersJson);
            update.setBytes(3, body);
            update.setString(4, tenantId);
            update.setString(5, key);
            update.setString(6, fingerprint);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store an idempotent result", e);
        }
    }

    /** Forgets an in-flight claim whose request failed on our side, so that a retry runs again. */
    public void release(String tenantId, String key, String fingerprint) {
        try (var connection = dataSource.getConnection();
                var delete = connection.prepareStatement("""
                        DELETE FROM idempotency_records
                        WHERE tenant_id = ? AND idempotency_key = ? AND fingerprint = ? AND state = 'in_flight'""")) {
            delete.setString(1, tenantId);
            delete.setString(2, key);
            delete.setString(3, fingerprint);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not release an idempotency key", e);
        }
    }

    public int purgeExpired() {
        try (var connection = dataSource.getConnection();
                var delete = connection.prepareStatement("DELETE FROM idempotency_records WHERE expires_at < now()")) {
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not purge idempotency records", e);
        }
    }
}
