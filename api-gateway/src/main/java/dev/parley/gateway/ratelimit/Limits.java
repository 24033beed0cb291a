package dev.parley.gateway.ratelimit;

import java.time.Duration;

/** The token buckets of one tenant: one per credential, one for the whole tenant. */
public record Limits(Limit perKey, Limit perTenant) {

    /** {@code capacity} requests per {@code period}, refilled continuously. */
    public record Limit(long capacity, Duration period) {
        public Limit {
            if (capacity < 1 || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("A limit needs a capacity of at least 1 and a positive period");
            }
        }

        public long windowSeconds() {
            return Math.max(1, period.toSeconds());
        }
    }
}
