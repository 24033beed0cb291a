package dev.parley.webhook.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import dev.parley.webhook.repository.DeliveryRepository.Claimed;

/**
 * One endpoint's share of this replica: at most {@code maxInFlight} requests at a time, an optional rate limit, a
 * circuit breaker (after {@code failureThreshold} failures in a row the endpoint gets nothing for {@code openFor},
 * then one probe) and a pause when it answered 429/503 with Retry-After. Work it cannot take now goes back to the
 * database, due when the endpoint may be tried again, so a slow or dead endpoint holds nothing but its own share.
 */
final class EndpointGate {

    /** Deliveries to hand back to the database, due at the given time. */
    record Release(List<Claimed> deliveries, Instant dueAt) {
    }

    /** Claimed deliveries held per request slot: enough to keep the slots busy between two claims. */
    static final int QUEUED_PER_SLOT = 4;

    private final UUID subscriptionId;
    private final int maxInFlight;
    private final int failureThreshold;
    private final Duration openFor;
    private final ArrayDeque<Claimed> queue = new ArrayDeque<>();
    private int inFlight;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;
    private long nextPermitNanos;
    private Integer rateLimitPerSecond;
    private boolean probing;

    EndpointGate(UUID subscriptionId, int maxInFlight, int failureThreshold, Duration openFor) {
        this.subscriptionId = subscriptionId;
        this.maxInFlight = maxInFlight;
        this.failureThreshold = failureThreshold;
        this.openFor = openFor;
    }

    UUID subscriptionId() {
        return subscriptionId;
    }

    /** Whether the dispatcher may claim more deliveries for this endpoint now. */
    synchronized boolean accepting(Instant now) {
        return queue.size() < QUEUED_PER_SLOT * maxInFlight && now.isAfter(pausedUntil) && (now.isAfter(openUntil) ? !probing : false);
    }

    synchronized boolean idle() {
        return queue.isEmpty() && inFlight == 0 && consecutiveFailures == 0;
    }

    /** Nothing left to start: the dispatcher should claim more for this endpoint. */
    synchronized boolean starving() {
        return queue.isEmpty();
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized boolean circuitOpen(Instant now) {
        return now.isBefore(openUntil);
    }

    /**
     * Queues a claimed delivery and starts what may start.
     *
     * @param start   runs an attempt (the gate counts it in flight until {@link #finished})
     * @param release hands back what cannot go now
     * @return nanoseconds until the rate limit lets the next one go when something waits for it, else 0
     */
    synchronized long offer(Claimed delivery, Consumer<Claimed> start, Consumer<Release> release) {
        rateLimitPerSecond = delivery.rateLimitPerSecond();
        queue.add(delivery);
        return pump(Instant.now(), start, release);
    }

    /** Starts queued deliveries as far as concurrency, rate, circuit and pause allow. */
    synchronized long pump(Instant now, Consumer<Claimed> start, Consumer<Release> release) {
        Instant blockedUntil = now.isBefore(pausedUntil) ? pausedUntil : now.isBefore(openUntil) ? openUntil : null;
        if (blockedUntil != null) {
            releaseQueued(release, blockedUntil);
            return 0;
        }
        boolean halfOpen = consecutiveFailures >= failureThreshold;
        while (!queue.isEmpty() && inFlight < (halfOpen ? 1 : maxInFlight)) {
            if (rateLimitPerSecond != null && rateLimitPerSecond > 0) {
                long nowNanos = System.nanoTime();
                if (nowNanos < nextPermitNanos) {
                    return nextPermitNanos - nowNanos;
                }
                nextPermitNanos = Math.max(nowNanos, nextPermitNanos) + 1_000_000_000L / rateLimitPerSecond;
            }
            inFlight++;
            probing = halfOpen;
            start.accept(queue.poll());
        }
        return 0;
    }

    /**
     * Records an attempt's end.
     *
     * @param succeeded  2xx
     * @param pauseUntil not null: the endpoint asked (Retry-After) not to be called before then
     */
    synchronized void finished(boolean succeeded, Instant pauseUntil, Instant now) {
        inFlight--;
        probing = false;
        if (succeeded) {
            consecutiveFailures = 0;
            openUntil = Instant.MIN;
        } else {
            consecutiveFailures++;
            if (consecutiveFailures >= failureThreshold) {
                openUntil = now.plus(openFor);
            }
        }
        if (pauseUntil != null && pauseUntil.isAfter(pausedUntil)) {
            pausedUntil = pauseUntil;
        }
    }

    /** An attempt ended without saying anything about the endpoint (it was never sent). */
    synchronized void finishedWithoutVerdict() {
        inFlight--;
        probing = false;
    }

    /** The endpoint was disabled: what is queued will not be sent (the database already failed it). */
    synchronized List<Claimed> drop() {
        var dropped = new ArrayList<>(queue);
        queue.clear();
        return dropped;
    }

    private void releaseQueued(Consumer<Release> release, Instant dueAt) {
        if (!queue.isEmpty()) {
            var released = new ArrayList<>(queue);
            queue.clear();
            release.accept(new Release(released, dueAt));
        }
    }
}
