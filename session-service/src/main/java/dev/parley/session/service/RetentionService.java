package dev.parley.session.service;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.config.SessionConfig;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/**
 * Transcript retention: messages older than the tenant's retention (its own setting, else
 * {@code parley.session.retention.default-days}; 0 = keep forever) are deleted by a scheduled purge, in small
 * batches so the purge never holds long locks.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    public static final int MAX_DAYS = 36_500;

    /** @param days null when the tenant uses the default */
    public record Retention(Integer days, int defaultDays, int effectiveDays) {
    }

    @Inject
    Transactions transactions;
    @Inject
    SessionConfig config;

    public Retention get(String tenantId) throws SQLException {
        Integer days = transactions.run(connection -> {
            try (var select = connection.prepareStatement(
                    "SELECT retention_days FROM tenant_retention WHERE tenant_id = ?")) {
                select.setString(1, tenantId);
                var row = select.executeQuery();
                return row.next() ? row.getInt(1) : null;
            }
        });
        int defaultDays = config.retention().defaultDays();
        return new Retention(days, defaultDays, days == null ? defaultDays : days);
    }

    /** Sets the tenant's retention in days (0 = forever), or back to the default when {@code days} is null. */
    public Retention set(String tenantId, Integer days) throws SQLException {
        if (days != null && (days < 0 || days > MAX_DAYS)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "days must be between 0 and " + MAX_DAYS);
        }
        transactions.run(connection -> {
            if (days == null) {
                try (var delete = connection.prepareStatement("DELETE FROM tenant_retention WHERE tenant_id = ?")) {
                    delete.setString(1, tenantId);
                    delete.executeUpdate();
                }
            } else {
                try (var upsert = connection.prepareStatement("""
                        INSERT INTO tenant_retention (tenant_id, retention_days, updated_at) VALUES (?, ?, now())
                        ON CONFLICT (tenant_id) DO UPDATE SET retention_days = EXCLUDED.retention_days,
                                                              updated_at = EXCLUDED.updated_at""")) {
                    upsert.setString(1, tenantId);
                    upsert.setInt(2, days);
                    upsert.executeUpdate();
                }
            }
            return null;
        });
        return get(tenantId);
    }

    @Scheduled(every = "${parley.session.retention.purge-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        try {
            long purged = purge(SessionRepository.now());
            if (purged > 0) {
                LOG.infof("Retention purge removed %d messages", purged);
            }
        } catch (Exception e) {
            LOG.warnf("Retention purge failed, will retry: %s", e.getMessage());
        }
    }

    /** Deletes every message past its tenant's retention at {@code now}; returns how many. */
    public long purge(Instant now) throws SQLException {
        long total = 0;
        int batch = config.retention().batchSize();
        int deleted;
        do {
            deleted = transactions.run(connection -> {
                try (var delete = connection.prepareStatement("""
                        DELETE FROM messages WHERE id IN (
                            SELECT m.id FROM messages m LEFT JOIN tenant_retention r ON r.tenant_id = m.tenant_id
                            WHERE COALESCE(r.retention_days, ?) > 0
                              AND m.created_at < ?::timestamptz - make_interval(days => COALESCE(r.retention_days, ?))
                            LIMIT ?)""")) {
                    delete.setInt(1, config.retention().defaultDays());
                    delete.setTimestamp(2, Timestamp.from(now));
                    delete.setInt(3, config.retention().defaultDays());
                    delete.setInt(4, batch);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == batch);
        return total;
    }
}
