package dev.parley.webhook.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.common.net.UrlPolicy;
import dev.parley.webhook.EventFilter;
import dev.parley.webhook.Subscription;
import dev.parley.webhook.config.WebhookConfig;
import dev.parley.webhook.delivery.Dispatcher;
import dev.parley.webhook.messaging.EventConsumer;
import dev.parley.webhook.messaging.OutboxPublisher;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.SubscriptionRepository;
import dev.parley.webhook.repository.Transactions;
import dev.parley.webhook.rest.Api;
import dev.parley.webhook.security.SecretBox;

/** Managing a tenant's webhook endpoints. Another tenant's endpoint is simply not found. */
@ApplicationScoped
public class SubscriptionService {

    public static final String PING_TYPE = "webhook.ping";
    static final int DEFAULT_GRACE_SECONDS = 86_400;

    @Inject
    Transactions transactions;
    @Inject
    SubscriptionRepository subscriptions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    SecretBox secrets;
    @Inject
    UrlPolicy urlPolicy;
    @Inject
    WebhookConfig config;
    @Inject
    Dispatcher dispatcher;
    @Inject
    OutboxPublisher outbox;
    @Inject
    ObjectMapper json;

    public Api.SubscriptionCreated create(String tenantId, Api.CreateSubscription request) {
        String url = checkUrl(request.url());
        List<String> events = checkEvents(request.events());
        String ordering = request.ordering() == null ? Subscription.ORDERING_NONE : checkOrdering(request.ordering());
        String secret = secrets.newSecret();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var subscription = new Subscription(UUID.randomUUID(), tenantId, url, events, blankToNull(request.description()),
                secrets.encrypt(secret), null, null, request.rateLimitPerSecond(), true, null, null, null, now, now,
                ordering);
        transactions.call(connection -> {
            if (subscriptions.count(connection, tenantId) >= config.maxSubscriptionsPerTenant()) {
                throw new ProblemException(ProblemCode.CONFLICT, "A tenant may have at most "
                        + config.maxSubscriptionsPerTenant() + " webhook endpoints");
            }
            subscriptions.insert(connection, subscription);
            return null;
        });
        return new Api.SubscriptionCreated(subscription.id().toString(), url, events, subscription.description(), true,
                subscription.rateLimitPerSecond(), now, secret, ordering);
    }

    public Api.SubscriptionList list(String tenantId) {
        return new Api.SubscriptionList(transactions.call(connection -> subscriptions.list(connection, tenantId))
                .stream().map(SubscriptionService::view).toList());
    }

    public Api.SubscriptionView get(String tenantId, String id) {
        return view(transactions.call(connection -> find(connection, tenantId, id, false)));
    }

    public Api.SubscriptionView update(String tenantId, String id, Api.UpdateSubscription request) {
        String url = request.url() == null ? null : checkUrl(request.url());
        List<String> events = request.events() == null ? null : checkEvents(request.events());
        String ordering = request.ordering() == null ? null : checkOrdering(request.ordering());
        return view(transactions.call(connection -> {
            var s = find(connection, tenantId, id, true);
            Integer rate = request.rateLimitPerSecond() == null ? s.rateLimitPerSecond()
                    : request.rateLimitPerSecond() == 0 ? null : request.rateLimitPerSecond();
            var updated = new Subscription(s.id(), s.tenantId(), url == null ? s.url() : url,
                    events == null ? s.eventTypes() : events,
                    request.description() == null ? s.description() : blankToNull(request.description()),
                    s.secretCiphertext(), s.previousSecretCiphertext(), s.previousSecretExpiresAt(), rate, s.enabled(),
                    s.disabledReason(), s.disabledAt(), s.failingSince(), s.createdAt(), now(),
                    ordering == null ? s.ordering() : ordering);
            subscriptions.update(connection, updated);
            if (s.orderedByConversation() && !updated.orderedByConversation()) {
                // What waits in a line goes now; a delivery in flight ends as it would have.
                deliveries.leaveLines(connection, s.id());
            }
            return updated;
        }));
    }

    public void delete(String tenantId, String id) {
        UUID uuid = parseId(id);
        boolean deleted = transactions.call(connection -> subscriptions.delete(connection, tenantId, uuid));
        if (!deleted) {
            throw notFound(id);
        }
        dispatcher.endpointGone(uuid);
    }

    public Api.SubscriptionView enable(String tenantId, String id) {
        return view(transactions.call(connection -> {
            var s = find(connection, tenantId, id, true);
            if (s.enabled()) {
                return s;
            }
            var enabled = new Subscription(s.id(), s.tenantId(), s.url(), s.eventTypes(), s.description(),
                    s.secretCiphertext(), s.previousSecretCiphertext(), s.previousSecretExpiresAt(),
                    s.rateLimitPerSecond(), true, null, null, null, s.createdAt(), now(), s.ordering());
            subscriptions.update(connection, enabled);
            return enabled;
        }));
    }

    public Api.SubscriptionView disable(String tenantId, String id) {
        var result = transactions.call(connection -> {
            var s = find(connection, tenantId, id, true);
            deliveries.disable(connection, tenantId, s.id(), "disabled through the API");
            return find(connection, tenantId, id, false);
        });
        dispatcher.endpointGone(result.id());
        outbox.wake();
        return view(result);
    }

    public Api.SecretRotated rotateSecret(String tenantId, String id, Api.RotateSecret request) {
        int grace = request == null || request.gracePeriodSeconds() == null ? DEFAULT_GRACE_SECONDS
                : request.gracePeriodSeconds();
        String secret = secrets.newSecret();
        Instant expires = grace == 0 ? null : now().plusSeconds(grace);
        transactions.call(connection -> {
            var s = find(connection, tenantId, id, true);
            subscriptions.update(connection, new Subscription(s.id(), s.tenantId(), s.url(), s.eventTypes(),
                    s.description(), secrets.encrypt(secret), expires == null ? null : s.secretCiphertext(), expires,
                    s.rateLimitPerSecond(), s.enabled(), s.disabledReason(), s.disabledAt(), s.failingSince(),
                    s.createdAt(), now(), s.ordering()));
            return null;
        });
        return new Api.SecretRotated(secret, expires);
    }

    /**
     * Sends a {@code webhook.ping} through the normal delivery path (signed, logged, retried) and waits a little for
     * the first attempt's outcome.
     */
    public Api.TestResult test(String tenantId, String id) {
        String eventId = "ping_" + UUID.randomUUID();
        Instant now = now();
        UUID[] deliveryId = new UUID[1];
        transactions.call(connection -> {
            var s = find(connection, tenantId, id, false);
            if (!s.enabled()) {
                throw new ProblemException(ProblemCode.CONFLICT, "The webhook is disabled; enable it first");
            }
            String body;
            try {
                body = json.writeValueAsString(Map.of("type", PING_TYPE, "timestamp", now.toString(), "data",
                        Map.of("subscriptionId", s.id().toString(), "message", "Ping from Parley")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            deliveryId[0] = deliveries.recordDirect(connection, new DeliveryRepository.IncomingEvent(eventId, tenantId,
                    PING_TYPE, EventConsumer.webhookId(tenantId, eventId), body, now, null, null), s.id());
            return null;
        });
        var outcome = dispatcher.watch(deliveryId[0]);
        dispatcher.wake();
        String webhookId = EventConsumer.webhookId(tenantId, eventId);
        try {
            var o = outcome.get(config.delivery().timeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            return new Api.TestResult(deliveryId[0].toString(), webhookId, o.status(), o.statusCode(),
                    o.durationMillis(), o.error());
        } catch (TimeoutException e) {
            return new Api.TestResult(deliveryId[0].toString(), webhookId, DeliveryRepository.PENDING, null, null, null);
        } catch (Exception e) {
            throw new IllegalStateException("Waiting for the ping failed", e);
        } finally {
            dispatcher.forget(deliveryId[0]);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    Subscription find(java.sql.Connection connection, String tenantId, String id, boolean forUpdate)
            throws java.sql.SQLException {
        return subscriptions.find(connection, tenantId, parseId(id), forUpdate).orElseThrow(() -> notFound(id));
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (RuntimeException e) {
            throw notFound(id);
        }
    }

    static ProblemException notFound(String id) {
        return new ProblemException(ProblemCode.WEBHOOK_NOT_FOUND, "No webhook " + id);
    }

    private String checkUrl(String url) {
        try {
            urlPolicy.check(url.trim());
            return url.trim();
        } catch (UrlPolicy.Refused refused) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "url: " + refused.getMessage());
        }
    }

    static List<String> checkEvents(List<String> events) {
        var result = new ArrayList<String>();
        for (String event : events) {
            String e = event == null ? "" : event.trim();
            if (!EventFilter.VALID.matcher(e).matches()) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED, "events: '" + event
                        + "' is not an event type or a wildcard such as message.* or *");
            }
            if (!result.contains(e)) {
                result.add(e);
            }
        }
        return List.copyOf(result);
    }

    static String checkOrdering(String ordering) {
        String o = ordering.trim();
        if (!o.equals(Subscription.ORDERING_NONE) && !o.equals(Subscription.ORDERING_CONVERSATION)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "ordering: '" + ordering
                    + "' is not one of none, conversation");
        }
        return o;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static Api.SubscriptionView view(Subscription s) {
        Instant previous = s.previousSecretExpiresAt() != null && s.previousSecretExpiresAt().isAfter(Instant.now())
                ? s.previousSecretExpiresAt() : null;
        return new Api.SubscriptionView(s.id().toString(), s.url(), s.eventTypes(), s.description(), s.enabled(),
                s.disabledReason(), s.disabledAt(), s.rateLimitPerSecond(), previous, s.createdAt(), s.updatedAt(),
                s.ordering());
    }
}
