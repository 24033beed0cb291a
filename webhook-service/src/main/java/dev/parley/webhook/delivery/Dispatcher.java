package dev.parley.webhook.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.net.UrlPolicy;
import dev.parley.webhook.config.WebhookConfig;
import dev.parley.webhook.messaging.OutboxPublisher;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.DeliveryRepository.Claimed;
import dev.parley.webhook.repository.DeliveryRepository.Outcome;
import dev.parley.webhook.repository.Transactions;
import dev.parley.webhook.security.SecretBox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers from the database. New deliveries come straight from the event consumer, stored already leased to this
 * replica ({@link #handOff}) while there is room; a claimer thread takes the rest of what is due (new ones that found
 * no room, retries when their time comes, another replica's after its lease ran out). Each goes to its endpoint's
 * {@link EndpointGate}; attempts run on the Vert.x HTTP client without holding a thread; a writer thread stores the
 * outcomes in batches. Work survives restarts because the database, not memory, says what is due: a delivery held in
 * memory is leased, and comes back by itself when the lease runs out.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int CLAIM_BATCH = 500;
    private static final int WRITE_BATCH = 1000;

    @Inject
    Transactions transactions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    WebhookSender sender;
    @Inject
    UrlPolicy urlPolicy;
    @Inject
    SecretBox secrets;
    @Inject
    RetryPolicy retries;
    @Inject
    WebhookConfig config;
    @Inject
    OutboxPublisher outbox;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "parley.webhook.dispatcher.enabled", defaultValue = "true")
    boolean enabled;

    private final ConcurrentHashMap<UUID, EndpointGate> gates = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final Map<UUID, CompletableFuture<Outcome>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final Object signal = new Object();
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.concurrent.ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("webhook-gate-timer").unstarted(r));
    private volatile boolean running;
    /** Due work may wait in the database (not all of it was handed off, or the last claim was cut short). */
    private volatile boolean moreInDatabase = true;
    private boolean woken;
    private Thread claimer;
    private Thread writer;
    private Counter succeeded;
    private Counter failed;
    private Timer attemptTimer;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        succeeded = meters.counter("parley_webhook_attempts", "outcome", "success");
        failed = meters.counter("parley_webhook_attempts", "outcome", "failure");
        attemptTimer = meters.timer("parley_webhook_attempt_duration");
        meters.gauge("parley_webhook_in_flight", active);
        running = true;
        claimer = Thread.ofPlatform().name("webhook-claimer").daemon().start(this::claimLoop);
        writer = Thread.ofPlatform().name("webhook-outcome-writer").daemon().start(this::writeLoop);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        signalClaimer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (active.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
    }

    /** Deliveries were made due in the database: claim now rather than at the next poll. */
    public void wake() {
        moreInDatabase = true;
        signalClaimer();
    }

    private void signalClaimer() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Completes with the outcome of the next attempt of this delivery (for the test ping). */
    public CompletableFuture<Outcome> watch(UUID deliveryId) {
        return watchers.computeIfAbsent(deliveryId, id -> new CompletableFuture<>());
    }

    public void forget(UUID deliveryId) {
        watchers.remove(deliveryId);
    }

    /** The endpoint was disabled or deleted: drop what this replica still holds for it. */
    public void endpointGone(UUID subscriptionId) {
        var gate = gates.remove(subscriptionId);
        if (gate != null) {
            active.addAndGet(-gate.drop().size());
        }
    }

    // ------------------------------------------------------------------------------------------------ hand-off

    /** How many new deliveries, and for which endpoints, the consumer may hand to this dispatcher directly. */
    public DeliveryRepository.HandOff handOffRoom() {
        if (!running) {
            return DeliveryRepository.HandOff.NONE;
        }
        int room = Math.min(CLAIM_BATCH, config.delivery().maxInFlight() - active.get());
        if (room <= 0) {
            return DeliveryRepository.HandOff.NONE;
        }
        Instant now = Instant.now();
        return new DeliveryRepository.HandOff(room, id -> {
            var gate = gates.get(id);
            return gate == null || gate.accepting(now);
        }, lease());
    }

    /** Attempts new deliveries the consumer stored leased to this replica (see {@link #handOffRoom}). */
    public void handOff(List<Claimed> deliveries) {
        take(deliveries);
    }

    /** Counts leased deliveries as this replica's and queues each at its endpoint's gate. */
    private void take(List<Claimed> deliveries) {
        for (Claimed delivery : deliveries) {
            active.incrementAndGet();
            offer(delivery);
        }
    }

    private Duration lease() {
        return config.delivery().timeout().plusSeconds(60);
    }

    // ------------------------------------------------------------------------------------------------ claiming

    private void claimLoop() {
        long pollMillis = Math.max(10, config.delivery().pollInterval().toMillis());
        while (running) {
            synchronized (signal) {
                if (!woken) {
                    try {
                        signal.wait(pollMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
            if (!running) {
                return;
            }
            try {
                claimWhileThereIsWork();
            } catch (Exception e) {
                LOG.warnf("Claiming deliveries failed, will retry: %s", e.toString());
                sleep(1_000);
            }
        }
    }

    private void claimWhileThereIsWork() throws Exception {
        while (running) {
            int capacity = Math.min(CLAIM_BATCH, config.delivery().maxInFlight() - active.get());
            if (capacity <= 0) {
                return;
            }
            Instant now = Instant.now();
            var excluded = new ArrayList<UUID>();
            gates.forEach((id, gate) -> {
                if (!gate.accepting(now)) {
                    excluded.add(id);
                } else {
                    // Atomic with offer(): a gate the consumer is handing work to is never dropped.
                    gates.computeIfPresent(id, (key, current) -> current.idle() ? null : current);
                }
            });
            Duration lease = lease();
            List<Claimed> claimed = DatabaseOutages.waitOut(() -> transactions.run(
                    connection -> deliveries.claim(connection, capacity, excluded, lease)));
            take(claimed);
            if (claimed.size() < capacity) {
                if (excluded.isEmpty()) {
                    moreInDatabase = false;
                }
                return;
            }
            moreInDatabase = true;
        }
    }

    /** Queues a delivery at its endpoint's gate (made if need be), atomically with the claimer's idle-gate sweep. */
    private void offer(Claimed delivery) {
        long[] waitNanos = new long[1];
        var gate = gates.compute(delivery.subscriptionId(), (id, current) -> {
            var g = current != null ? current : new EndpointGate(id, config.delivery().maxInFlightPerEndpoint(),
                    config.delivery().circuitFailureThreshold(), config.delivery().circuitOpenFor());
            waitNanos[0] = g.offer(delivery, this::attempt, this::release);
            return g;
        });
        schedulePump(gate, waitNanos[0]);
    }

    private void pump(EndpointGate gate) {
        schedulePump(gate, gate.pump(Instant.now(), this::attempt, this::release));
    }

    private void schedulePump(EndpointGate gate, long waitNanos) {
        if (waitNanos > 0) {
            timers.schedule(() -> pump(gate), waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void release(EndpointGate.Release release) {
        attempts.execute(() -> {
            var ids = release.deliveries().stream().map(Claimed::deliveryId).toList();
            try {
                DatabaseOutages.waitOut(() -> transactions.run(connection -> {
                    deliveries.release(connection, ids, release.dueAt());
                    return null;
                }));
            } catch (Exception e) {
                LOG.warnf("Could not hand back %d deliveries (their lease will): %s", ids.size(), e.toString());
            } finally {
                active.addAndGet(-ids.size());
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ attempts

    private void attempt(Claimed delivery) {
        attempts.execute(() -> {
            Instant now = Instant.now();
            try {
                if (!delivery.enabled()) {
                    finish(delivery, now, new WebhookSender.Result(null, null, "endpoint disabled", null, 0), false);
                    return;
                }
                if (delivery.body() == null) {
                    finish(delivery, now, new WebhookSender.Result(null, null, "payload purged by the retention policy",
                            null, 0), false);
                    return;
                }
                UrlPolicy.Target target;
                try {
                    target = urlPolicy.check(delivery.url());
                } catch (UrlPolicy.Refused refused) {
                    finish(delivery, now, new WebhookSender.Result(null, null, "refused: " + refused.getMessage(), null, 0),
                            true);
                    return;
                }
                sender.send(target, target.addresses().get(0), signingSecrets(delivery, now), delivery.webhookId(),
                        delivery.body())
                        .whenComplete((result, error) -> finish(delivery, now, result != null ? result
                                : new WebhookSender.Result(null, null, String.valueOf(error), null, 0), true));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Attempt of delivery %s failed unexpectedly", delivery.deliveryId());
                finish(delivery, now, new WebhookSender.Result(null, null, "internal error: " + e, null, 0), true);
            }
        });
    }

    private List<String> signingSecrets(Claimed delivery, Instant now) {
        var list = new ArrayList<String>(2);
        list.add(secrets.decrypt(delivery.secretCiphertext()));
        if (delivery.previousSecretCiphertext() != null && delivery.previousSecretExpiresAt() != null
                && delivery.previousSecretExpiresAt().isAfter(now)) {
            list.add(secrets.decrypt(delivery.previousSecretCiphertext()));
        }
        return list;
    }

    private void finish(Claimed delivery, Instant attemptedAt, WebhookSender.Result result, boolean countsForEndpoint) {
        Instant now = Instant.now();
        Integer code = result.statusCode();
        boolean ok = code != null && code >= 200 && code < 300;
        String status;
        Instant next = null;
        String error = result.error();
        String disableReason = null;
        Instant pauseUntil = null;
        if (ok) {
            status = DeliveryRepository.SUCCEEDED;
        } else {
            if (error == null) {
                error = code >= 300 && code < 400 ? "HTTP " + code + " (redirects are not followed)" : "HTTP " + code;
            }
            if (code != null && code == 410) {
                status = DeliveryRepository.FAILED;
                disableReason = "the endpoint answered 410 Gone";
            } else if (!delivery.enabled() || delivery.body() == null) {
                status = DeliveryRepository.FAILED;
            } else {
                Duration retryAfter = code != null && (code == 429 || code == 503)
                        ? RetryPolicy.parseRetryAfter(result.retryAfter(), now) : null;
                next = retries.next(delivery.attempts() + 1, now, retryAfter);
                status = next == null ? DeliveryRepository.FAILED : DeliveryRepository.PENDING;
                if (retryAfter != null) {
                    pauseUntil = now.plus(retryAfter.compareTo(config.retry().maxRetryAfter()) > 0
                            ? config.retry().maxRetryAfter() : retryAfter);
                }
            }
        }
        (ok ? succeeded : failed).increment();
        attemptTimer.record(Duration.ofMillis(result.durationMillis()));
        outcomes.add(new Outcome(delivery, attemptedAt, code, result.durationMillis(), result.responseExcerpt(), error,
                status, next, disableReason));
        var gate = gates.get(delivery.subscriptionId());
        if (gate != null) {
            if (countsForEndpoint) {
                gate.finished(ok, pauseUntil, now);
            } else {
                gate.finishedWithoutVerdict();
            }
            if (disableReason != null) {
                endpointGone(delivery.subscriptionId());
            } else {
                pump(gate);
            }
        }
        // Claim more only when this endpoint ran out of queued work (or was dropped) and the database may hold some:
        // waking on every completion would cost a database round trip per delivery. (Retries that come due later are
        // found by the regular poll.)
        boolean starving = gate == null || gate.starving();
        active.decrementAndGet();
        if (starving && moreInDatabase) {
            signalClaimer();
        }
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    private void writeLoop() {
        var batch = new ArrayList<Outcome>(WRITE_BATCH);
        while (running || !outcomes.isEmpty()) {
            try {
                Outcome first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, WRITE_BATCH - 1);
                var disabled = DatabaseOutages.waitOut(() -> transactions.run(
                        connection -> deliveries.complete(connection, batch, config.delivery().disableAfter())));
                for (var gone : disabled) {
                    LOG.infof("Disabled webhook endpoint %s of tenant %s: %s", gone.subscriptionId(), gone.tenantId(),
                            gone.reason());
                    endpointGone(gone.subscriptionId());
                }
                if (!disabled.isEmpty()) {
                    outbox.wake();
                }
                // A delivery of a line that ended let the next one of its line go: claim it now, not at the next poll.
                if (batch.stream().anyMatch(o -> o.delivery().inLine() && !DeliveryRepository.PENDING.equals(o.status()))) {
                    wake();
                }
                for (Outcome o : batch) {
                    var watcher = watchers.remove(o.delivery().deliveryId());
                    if (watcher != null) {
                        watcher.complete(o);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The deliveries stay claimed until their lease runs out, then they are attempted again.
                LOG.errorf(e, "Could not store %d attempt outcomes", batch.size());
            } finally {
                batch.clear();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
