package dev.parley.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static final long MS = 1_000_000L;

    @Test
    void emptyHistogramReportsZeros() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.valueAtPercentile(50));
        assertEquals(0, h.valueAtPercentile(100));
        assertEquals(0, h.max());
        assertEquals(0, h.min());
        assertEquals(new LatencyHistogram.Summary(0, 0, 0, 0, 0, 0), h.summary());
    }

    @Test
    void smallValuesAreExactWithNearestRank() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 100; v >= 1; v--) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(1, h.valueAtPercentile(0));
        assertEquals(1, h.valueAtPercentile(1));
        assertEquals(50, h.valueAtPercentile(50));
        assertEquals(51, h.valueAtPercentile(50.5));
        assertEquals(95, h.valueAtPercentile(95));
        assertEquals(99, h.valueAtPercentile(99));
        assertEquals(100, h.valueAtPercentile(100));
        assertEquals(50.5, h.mean(), 1e-9);
    }

    @Test
    void millisecondLatenciesAreWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        List<Long> values = new ArrayList<>();
        for (long ms = 1; ms <= 10_000; ms++) {
            values.add(ms * MS + 12_345);
        }
        java.util.Collections.shuffle(values, new java.util.Random(7));
        values.forEach(h::record);

        assertClose(5_000 * MS, h.valueAtPercentile(50));
        assertClose(9_500 * MS, h.valueAtPercentile(95));
        assertClose(9_900 * MS, h.valueAtPercentile(99));
        assertEquals(10_000 * MS + 12_345, h.max(), "max is exact");
        assertEquals(MS + 12_345, h.min(), "min is exact");
        LatencyHistogram.Summary s = h.summary();
        assertEquals(10_000, s.count());
        assertEquals(h.valueAtPercentile(95), s.p95());
        assertEquals(h.max(), s.max());
    }

    @Test
    void percentilesStayWithinTheRecordedRange() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(123_456_789);
        for (double p : new double[] {0, 50, 99, 99.9, 100}) {
            assertEquals(123_456_789, h.valueAtPercentile(p));
        }
        h.record(123_456_999); // same bucket: the percentile must not exceed the exact max
        assertTrue(h.valueAtPercentile(99) <= 123_456_999);
        assertTrue(h.valueAtPercentile(1) >= 123_456_789);
    }

    @Test
    void bucketsCoverEveryValueWithBoundedRelativeError() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
            int bucket = LatencyHistogram.bucketOf(v);
            long lower = LatencyHistogram.lowerBound(bucket);
            long upper = LatencyHistogram.upperBound(bucket);
            assertTrue(bucket >= 0 && bucket < LatencyHistogram.BUCKETS, "bucket of " + v);
            assertTrue(lower <= v && v <= upper, v + " in [" + lower + ", " + upper + "]");
            assertTrue(upper - lower <= lower / LatencyHistogram.SUB_BUCKETS, "width for " + v);
        }
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, LatencyHistogram.upperBound(LatencyHistogram.BUCKETS - 1));
        for (int b = 1; b < LatencyHistogram.BUCKETS; b++) {
            assertEquals(LatencyHistogram.upperBound(b - 1) + 1, LatencyHistogram.lowerBound(b), "contiguous " + b);
        }
    }

    @Test
    void negativeValuesCountAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        assertEquals(1, h.count());
        assertEquals(0, h.max());
    }

    @Test
    void concurrentRecordingLosesNothingAndMerges() throws InterruptedException {
        LatencyHistogram h = new LatencyHistogram();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int offset = t;
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    h.record((i + offset) * 1_000L);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(40_000, h.count());

        LatencyHistogram other = new LatencyHistogram();
        other.record(999 * MS);
        h.add(other);
        assertEquals(40_001, h.count());
        assertEquals(999 * MS, h.max());
        assertEquals(0, h.min());
    }

    @Test
    void rejectsPercentilesOutOfRange() {
        LatencyHistogram h = new LatencyHistogram();
        assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(-1));
        assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(100.1));
        assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(Double.NaN));
    }

    private static void assertClose(long expected, long actual) {
        double error = Math.abs(actual - expected) / (double) expected;
        assertTrue(error <= 0.01, "expected about " + expected + " but was " + actual);
    }
}
