package dev.parley.webhook.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.webhook.delivery.Dispatcher;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.DeliveryRepository.DeliveryRow;
import dev.parley.webhook.repository.SubscriptionRepository;
import dev.parley.webhook.repository.Transactions;
import dev.parley.webhook.rest.Api;

/** The delivery log of an endpoint: what was sent, every attempt, replays and recovery. */
@ApplicationScoped
public class DeliveryLogService {

    static final Set<String> STATUSES = Set.of(DeliveryRepository.PENDING, DeliveryRepository.SUCCEEDED,
            DeliveryRepository.FAILED);

    @Inject
    Transactions transactions;
    @Inject
    SubscriptionRepository subscriptions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    Dispatcher dispatcher;

    public Api.DeliveryPage list(String tenantId, String subscriptionId, String status, String eventType, Instant since,
            Instant until, String cursor, int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "status: one of pending, succeeded, failed");
        }
        Instant cursorAt = null;
        UUID cursorId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                cursorAt = Instant.parse(parts[0]);
                cursorId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw new ProblemException(ProblemCode.INVALID_CURSOR, "cursor: not a cursor from this API");
            }
        }
        var filter = new DeliveryRepository.LogFilter(status, eventType, since, until, cursorAt, cursorId, limit + 1);
        var rows = transactions.call(connection -> {
            UUID id = subscription(connection, tenantId, subscriptionId);
            return deliveries.list(connection, id, filter);
        });
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            var last = rows.get(limit - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new Api.DeliveryPage(rows.stream().map(DeliveryLogService::view).toList(), next);
    }

    public Api.DeliveryDetail get(String tenantId, String subscriptionId, String deliveryId) {
        return transactions.call(connection -> {
            UUID id = subscription(connection, tenantId, subscriptionId);
            var row = deliveries.find(connection, id, delivery(deliveryId)).orElseThrow(() -> deliveryNotFound(deliveryId));
            var attempts = deliveries.attempts(connection, row.id()).stream()
                    .map(a -> new Api.AttemptView(a.attemptedAt(), a.statusCode(), a.durationMillis(),
                            a.responseExcerpt(), a.error()))
                    .toList();
            return new Api.DeliveryDetail(view(row), row.body(), row.body() == null, attempts);
        });
    }

    public Api.Replayed replay(String tenantId, String subscriptionId, String deliveryId) {
        transactions.call(connection -> {
            UUID id = subscription(connection, tenantId, subscriptionId, true);
            var row = deliveries.find(connection, id, delivery(deliveryId)).orElseThrow(() -> deliveryNotFound(deliveryId));
            if (row.erased()) {
                throw new ProblemException(ProblemCode.DELIVERY_ERASED,
                        "The payload of this delivery was erased with its user; it cannot be replayed");
            }
            if (row.body() == null) {
                throw new ProblemException(ProblemCode.CONFLICT,
                        "The payload of this delivery was purged by the retention policy; it cannot be replayed");
            }
            deliveries.replay(connection, row.id());
            return null;
        });
        dispatcher.wake();
        return new Api.Replayed(deliveryId, DeliveryRepository.PENDING);
    }

    public Api.Recovered recover(String tenantId, String subscriptionId, Instant since) {
        int count = transactions.call(connection -> {
            UUID id = subscription(connection, tenantId, subscriptionId, true);
            return deliveries.recover(connection, id, since);
        });
        dispatcher.wake();
        return new Api.Recovered(count);
    }

    private UUID subscription(java.sql.Connection connection, String tenantId, String id) throws java.sql.SQLException {
        return subscriptions.find(connection, tenantId, SubscriptionService.parseId(id), false)
                .orElseThrow(() -> SubscriptionService.notFound(id)).id();
    }

    /** The endpoint, which must be enabled to be sent anything. */
    private UUID subscription(java.sql.Connection connection, String tenantId, String id, boolean mustBeEnabled)
            throws java.sql.SQLException {
        var s = subscriptions.find(connection, tenantId, SubscriptionService.parseId(id), false)
                .orElseThrow(() -> SubscriptionService.notFound(id));
        if (mustBeEnabled && !s.enabled()) {
            throw new ProblemException(ProblemCode.CONFLICT, "The webhook is disabled; enable it first");
        }
        return s.id();
    }

    private static UUID delivery(String id) {
        try {
            return UUID.fromString(id);
        } catch (RuntimeException e) {
            throw deliveryNotFound(id);
        }
    }

    private static ProblemException deliveryNotFound(String id) {
        return new ProblemException(ProblemCode.DELIVERY_NOT_FOUND, "No delivery " + id + " for this webhook");
    }

    static Api.DeliveryView view(DeliveryRow d) {
        return new Api.DeliveryView(d.id().toString(), d.subscriptionId().toString(), d.eventId(), d.eventType(),
                d.webhookId(), d.status(), d.attempts(),
                DeliveryRepository.PENDING.equals(d.status()) ? d.nextAttemptAt() : null, d.lastAttemptAt(),
                d.lastStatusCode(), d.lastError(), d.createdAt(), d.completedAt());
    }
}
