package dev.parley.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What a rate-limit check costs per request in the gateway's two designs: a Bucket4j bucket in the JVM, and a
 * bucket in PostgreSQL that each replica borrows tokens from in batches (batch 1 = a database transaction per
 * request). Starts its own embedded PostgreSQL; prints one line per design.
 *
 * <pre>java -cp "tools/target/classes:$(cat tools/target/classpath.txt)" dev.parley.tools.bench.RateLimitCost</pre>
 */
public final class RateLimitCost {

    private static final BucketConfiguration UNLIMITED = BucketConfiguration.builder()
            .addLimit(Bandwidth.builder().capacity(1_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1)).build())
            .build();

    /** The gateway's borrowing source, reduced to its cost-bearing steps. */
    static final class Borrowing {
        private final Bucket remote;
        private final long batch;
        private long allowance;

        Borrowing(Bucket remote, long batch) {
            this.remote = remote;
            this.batch = batch;
        }

        synchronized boolean take() {
            if (allowance == 0) {
                var borrowed = remote.asVerbose().tryConsumeAsMuchAsPossible(batch);
                allowance = borrowed.getValue();
                borrowed.getDiagnostics().getAvailableTokens();
                if (allowance == 0) {
                    return false;
                }
            }
            allowance--;
            return true;
        }
    }

    public static void main(String[] args) throws Exception {
        // The gateway draws connections from an Agroal pool; so does this tool, or each check would pay a new connection.
        try (var postgres = EmbeddedPostgres.builder().start();
                var dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                        .connectionPoolConfiguration(pool -> pool.maxSize(16).connectionFactoryConfiguration(
                                factory -> factory.jdbcUrl(postgres.getJdbcUrl("postgres", "postgres"))
                                        .principal(new NamePrincipal("postgres")))))) {
            try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE rate_limit_buckets (id text PRIMARY KEY, state bytea, expires_at bigint)");
            }
            PostgreSQLSelectForUpdateBasedProxyManager<String> buckets = Bucket4jPostgreSQL
                    .selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("rate_limit_buckets").build();

            var local = Bucket.builder().addLimit(UNLIMITED.getBandwidths()[0]).build();
            for (int i = 0; i < 2_000_000; i++) {
                local.tryConsumeAndReturnRemaining(1); // warm-up
            }
            int localOps = 5_000_000;
            long start = System.nanoTime();
            for (int i = 0; i < localOps; i++) {
                local.tryConsumeAndReturnRemaining(1);
            }
            report("in-JVM bucket (default)", localOps, System.nanoTime() - start, 1);

            for (int batch : new int[] { 1, 10, 50 }) {
                var source = new Borrowing(buckets.builder().build("cost-" + UUID.randomUUID(), () -> UNLIMITED), batch);
                int ops = batch == 1 ? 3_000 : 20_000;
                for (int i = 0; i < 500; i++) {
                    source.take();
                }
                start = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    source.take();
                }
                report("PostgreSQL bucket, borrow batch " + batch, ops, System.nanoTime() - start, 1);
            }

            // 8 replicas' worth of threads on one tenant bucket, batch 10: contention on one row.
            int threads = 8;
            int perThread = 3_000;
            String shared = "cost-shared-" + UUID.randomUUID();
            var calls = new ArrayList<Callable<Void>>();
            for (int t = 0; t < threads; t++) {
                var source = new Borrowing(buckets.builder().build(shared, () -> UNLIMITED), 10);
                calls.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        source.take();
                    }
                    return null;
                });
            }
            try (var pool = Executors.newFixedThreadPool(threads)) {
                start = System.nanoTime();
                for (var future : pool.invokeAll(calls)) {
                    future.get();
                }
                report("PostgreSQL bucket, batch 10, 8 replicas on one bucket", threads * perThread,
                        System.nanoTime() - start, threads);
            }
        }
    }

    private static void report(String design, int ops, long nanos, int threads) {
        System.out.printf("%-58s %,12.0f checks/s   %,10.2f µs per check (mean, %d thread%s)%n", design,
                ops / (nanos / 1e9), nanos / 1e3 / ops * threads, threads, threads == 1 ? "" : "s");
    }
}
