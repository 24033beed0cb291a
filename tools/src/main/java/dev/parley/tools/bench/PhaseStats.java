package dev.parley.tools.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What happened during one phase (warm-up or measured) of a run; updated concurrently by the clients. */
final class PhaseStats {

    /** Which call failed, with which HTTP status (or {@code timeout} / {@code io}) and problem code. */
    record ErrorKey(String endpoint, String status, String code) {
        static final Comparator<ErrorKey> ORDER = Comparator.comparing(ErrorKey::endpoint)
                .thenComparing(ErrorKey::status).thenComparing(ErrorKey::code);

        String label() {
            return endpoint + " " + status + (code.isEmpty() ? "" : " " + code);
        }
    }

    /** Turn latency: from the intended send time (open loop) or the send time (closed loop) to the reply. */
    final LatencyHistogram turnLatency = new LatencyHistogram();
    /** Turn latency from the actual send time; differs from {@link #turnLatency} only in open loop. */
    final LatencyHistogram turnServiceTime = new LatencyHistogram();
    final LatencyHistogram sessionLatency = new LatencyHistogram();

    final LongAdder messageRequests = new LongAdder();
    final LongAdder sessionRequests = new LongAdder();
    final LongAdder turns = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder sessions = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final ConcurrentHashMap<ErrorKey, LongAdder> errorCounts = new ConcurrentHashMap<>();

    void turn(long latencyNanos, long serviceNanos) {
        turns.increment();
        turnLatency.record(latencyNanos);
        turnServiceTime.record(serviceNanos);
    }

    void session(long latencyNanos) {
        sessions.increment();
        sessionLatency.record(latencyNanos);
    }

    void error(ErrorKey key) {
        errors.increment();
        errorCounts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Error counts, most frequent first. */
    Map<ErrorKey, Long> errorCounts() {
        Map<ErrorKey, Long> sorted = new LinkedHashMap<>();
        errorCounts.entrySet().stream()
                .sorted(Map.Entry.<ErrorKey, LongAdder>comparingByValue(
                        Comparator.comparingLong(LongAdder::sum).reversed())
                        .thenComparing(Map.Entry.comparingByKey(ErrorKey.ORDER)))
                .forEach(e -> sorted.put(e.getKey(), e.getValue().sum()));
        return sorted;
    }
}
