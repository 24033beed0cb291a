package dev.parley.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.gateway.config.SecurityConfig;
import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Token buckets shared by every gateway replica, kept in the gateway's PostgreSQL (table
 * {@code rate_limit_buckets}) by Bucket4j. Rows of buckets that have refilled completely expire and are swept.
 */
@ApplicationScoped
public class SharedTokenSources {

    private static final Logger LOG = Logger.getLogger(SharedTokenSources.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    SecurityConfig config;

    private PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private ScheduledExecutorService sweeper;

    @PostConstruct
    void init() {
        buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("rate-limit-sweep").daemon().factory());
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }

    TokenSource source(String id, Limits.Limit limit) {
        var configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
                .build();
        var remote = buckets.builder().build(id, () -> configuration);
        return new BorrowingTokenSource(remote, limit, config.rateLimit().borrowBatch());
    }

    private void sweep() {
        try {
            int removed;
            do {
                removed = buckets.removeExpired(1000);
            } while (removed == 1000);
        } catch (RuntimeException e) {
            LOG.debugf("Could not sweep expired rate limit buckets: %s", e.toString());
        }
    }
}
