package dev.parley.tools.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A small, thread-safe log-linear histogram of non-negative {@code long} values (nanoseconds here).
 *
 * <p>Values below {@value #SUB_BUCKETS} get a bucket each; above, every power of two is split into
 * {@value #SUB_BUCKETS} equal sub-buckets, so a bucket is never wider than 1/128 (0.8 %) of the values it
 * holds. The whole {@code long} range fits in 7,296 counters (57 KiB), whatever the number of samples.
 * Percentiles report the highest value of the bucket that holds the requested rank, clamped to the exact
 * minimum and maximum recorded, so a percentile never lies outside the recorded range.
 */
public final class LatencyHistogram {

    static final int SUB_BITS = 7;
    static final int SUB_BUCKETS = 1 << SUB_BITS;
    static final int BUCKETS = (64 - SUB_BITS) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);

    /** Records one value; negative values count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(bucketOf(v));
        count.incrementAndGet();
        sum.addAndGet(v);
        min.accumulate(v);
        max.accumulate(v);
    }

    public long count() {
        return count.get();
    }

    /** The smallest value recorded, 0 when empty. */
    public long min() {
        return count() == 0 ? 0 : min.get();
    }

    /** The largest value recorded (exact), 0 when empty. */
    public long max() {
        return count() == 0 ? 0 : max.get();
    }

    public double mean() {
        long n = count();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The value below or at which {@code percentile} % of the recorded values fall (nearest-rank method),
     * to within the bucket precision; 0 when empty. {@code 100} gives the exact maximum.
     */
    public long valueAtPercentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + percentile);
        }
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * n);
        rank = Math.max(1, Math.min(n, rank));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.max(min(), Math.min(max(), upperBound(i)));
            }
        }
        return max();
    }

    /** Adds every sample of {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
        long n = other.count();
        if (n > 0) {
            count.addAndGet(n);
            sum.addAndGet(other.sum.get());
            min.accumulate(other.min());
            max.accumulate(other.max());
        }
    }

    /** Count, p50, p95, p99 and max of what was recorded, in the recorded unit. */
    public Summary summary() {
        return new Summary(count(), valueAtPercentile(50), valueAtPercentile(95), valueAtPercentile(99), max(),
                mean());
    }

    /** Percentiles of a histogram, in its unit (nanoseconds for the benchmark). */
    public record Summary(long count, long p50, long p95, long p99, long max, double mean) {
    }

    static int bucketOf(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int msb = 63 - Long.numberOfLeadingZeros(value);
        int shift = msb - SUB_BITS;
        int sub = (int) (value >>> shift) - SUB_BUCKETS;
        return SUB_BUCKETS + shift * SUB_BUCKETS + sub;
    }

    static long lowerBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int shift = (bucket - SUB_BUCKETS) / SUB_BUCKETS;
        int sub = (bucket - SUB_BUCKETS) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub)) << shift;
    }

    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int shift = (bucket - SUB_BUCKETS) / SUB_BUCKETS;
        long upper = lowerBound(bucket) + (1L << shift) - 1;
        return upper < 0 ? Long.MAX_VALUE : upper;
    }
}
