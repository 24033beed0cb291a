package dev.parley.common.db;

import java.sql.SQLException;

import org.jboss.logging.Logger;

/**
 * Tells an outage of the database (connection lost, server shutting down, deadlock, out of resources) from a
 * refusal of the data, and waits an outage out. A consumer that waits keeps its partition where it is instead of
 * dead-lettering records that are perfectly good.
 */
public final class DatabaseOutages {

    private static final Logger LOG = Logger.getLogger(DatabaseOutages.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    @FunctionalInterface
    public interface Call<T> {
        T call() throws SQLException;
    }

    private DatabaseOutages() {
    }

    /** SQLSTATE classes 08 (connection), 57 (operator intervention), 40 (rollback), 53 (resources), or none. */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57") || state.startsWith("40")
                || state.startsWith("53");
    }

    /**
     * Runs the call until it succeeds or fails for a reason other than an outage, backing off from 100 ms to 5 s.
     *
     * @throws SQLException the first failure that is not an outage
     */
    public static <T> T waitOut(Call<T> call) throws SQLException {
        long backoffMillis = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                return call.call();
            } catch (SQLException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                LOG.warnf("Database unavailable (%s), retrying in %d ms", e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the database", interrupted);
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }
}
