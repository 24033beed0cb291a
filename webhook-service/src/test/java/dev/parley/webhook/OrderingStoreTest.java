package dev.parley.webhook;

import static dev.parley.webhook.WebhookApi.as;
import static dev.parley.webhook.WebhookApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.testsupport.ParleyTestResources;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.DeliveryRepository.Claimed;
import dev.parley.webhook.repository.DeliveryRepository.Outcome;
import dev.parley.webhook.repository.Transactions;
import dev.parley.webhook.service.LineSweeper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The database alone decides what of a line may go, so a line holds across crashes and restarts: with this replica's
 * dispatcher off, the test plays a replica that claims, dies with its claims (the lease runs out), retries and
 * finishes, through the same repository calls the dispatcher makes.
 */
@QuarkusTest
@TestProfile(OrderingStoreTest.DispatcherOff.class)
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook"))
class OrderingStoreTest {

    /** The consumer records deliveries; nothing delivers them but the test; no scheduled sweeps. */
    public static class DispatcherOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.webhook.dispatcher.enabled", "false", "quarkus.scheduler.enabled", "false");
        }
    }

    static final Duration LEASE = Duration.ofMillis(800);

    @Inject
    Transactions transactions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    LineSweeper sweeper;
    @Inject
    DataSource dataSource;

    /** What a replica claims now, of this endpoint, by event label (A1, B1, ...). */
    Map<String, Claimed> claim(UUID subscription) throws SQLException {
        var claimed = transactions.run(c -> deliveries.claim(c, 500, List.of(), LEASE));
        var mine = new HashMap<String, Claimed>();
        for (Claimed d : claimed) {
            if (d.subscriptionId().equals(subscription)) {
                mine.put(label(d), d);
            }
        }
        return mine;
    }

    static String label(Claimed d) {
        int at = d.body().indexOf("\"conv\":\"");
        return d.body().substring(at + 8, at + 9) + d.body().charAt(d.body().indexOf("\"n\":") + 4);
    }

    void end(Claimed d, String status, Instant nextAttemptAt) throws SQLException {
        int code = DeliveryRepository.SUCCEEDED.equals(status) ? 200 : 500;
        transactions.run(c -> deliveries.complete(c, List.of(new Outcome(d, Instant.now(), code, 3, "", null, status,
                nextAttemptAt, null)), Duration.ofDays(5)));
    }

    Instant nextAttemptAt(UUID deliveryId) throws SQLException {
        try (var c = dataSource.getConnection();
                var q = c.prepareStatement("SELECT next_attempt_at FROM webhook_deliveries WHERE id = ?")) {
            q.setObject(1, deliveryId);
            try (var rs = q.executeQuery()) {
                rs.next();
                var t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    void awaitRecorded(UUID subscription, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (var c = dataSource.getConnection();
                    var q = c.prepareStatement("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = ?")) {
                q.setObject(1, subscription);
                try (var rs = q.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == count;
                }
            }
        });
    }

    @Test
    void aLineHoldsThroughACrashedClaimARetryAndAFinalFailure() throws Exception {
        String tenant = tenant();
        UUID subscription = UUID.fromString(as(tenant).body(Map.of("url", "http://127.0.0.1:9/hook", "events",
                List.of("*"), "ordering", "conversation")).post().then().statusCode(201).extract().path("id"));
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        for (int i = 1; i <= 3; i++) {
            OrderingTest.send(Topics.CONVERSATION_EVENTS, tenant, "A", a, i);
        }
        OrderingTest.send(Topics.DIALOGUE_EVENTS, tenant, "B", b, 1);
        awaitRecorded(subscription, 4);

        // Replica 1 claims: the head of each line, nothing behind A1.
        var first = claim(subscription);
        assertEquals(java.util.Set.of("A1", "B1"), first.keySet());
        // It dies with its claims. Until the lease runs out nobody takes them, nor anything behind them.
        assertEquals(Map.of(), claim(subscription));
        Thread.sleep(LEASE.toMillis() + 200);
        // Replica 2 (or the same one restarted) takes the same heads again.
        var second = claim(subscription);
        assertEquals(java.util.Set.of("A1", "B1"), second.keySet());
        assertEquals(first.get("A1").deliveryId(), second.get("A1").deliveryId());
        end(second.get("B1"), DeliveryRepository.SUCCEEDED, null);

        // A1 fails and is to be retried shortly: A2 still waits, through the retry.
        end(second.get("A1"), DeliveryRepository.PENDING, Instant.now().plusMillis(300));
        assertEquals(Map.of(), claim(subscription));
        Thread.sleep(400);
        var retry = claim(subscription);
        assertEquals(java.util.Set.of("A1"), retry.keySet());
        assertEquals(1, retry.get("A1").attempts());

        // A1 succeeds: A2's turn, A3 still waits.
        end(retry.get("A1"), DeliveryRepository.SUCCEEDED, null);
        var next = claim(subscription);
        assertEquals(java.util.Set.of("A2"), next.keySet());
        UUID a3 = null;
        try (var c = dataSource.getConnection(); var q = c.prepareStatement("""
                SELECT id FROM webhook_deliveries WHERE subscription_id = ? AND status = 'pending'
                    AND id <> ? AND conversation_id = ?""")) {
            q.setObject(1, subscription);
            q.setObject(2, next.get("A2").deliveryId());
            q.setString(3, a);
            try (var rs = q.executeQuery()) {
                assertTrue(rs.next());
                a3 = rs.getObject(1, UUID.class);
            }
        }
        assertNull(nextAttemptAt(a3), "A3 is parked: out of the claimer's scan of due deliveries");

        // A2 finally fails (retries exhausted): that releases the line.
        end(next.get("A2"), DeliveryRepository.FAILED, null);
        assertNotNull(nextAttemptAt(a3));
        assertEquals(java.util.Set.of("A3"), claim(subscription).keySet());
    }

    @Test
    void theLineSweepLetsGoWhatWaitsBehindADeliveryEndedOutsideTheDispatcher() throws Exception {
        String tenant = tenant();
        UUID subscription = UUID.fromString(as(tenant).body(Map.of("url", "http://127.0.0.1:9/hook", "events",
                List.of("*"), "ordering", "conversation")).post().then().statusCode(201).extract().path("id"));
        String a = UUID.randomUUID().toString();
        OrderingTest.send(Topics.CONVERSATION_EVENTS, tenant, "A", a, 1);
        OrderingTest.send(Topics.CONVERSATION_EVENTS, tenant, "A", a, 2);
        awaitRecorded(subscription, 2);
        var head = claim(subscription);
        assertEquals(java.util.Set.of("A1"), head.keySet());
        // Failed the way the retention purge fails a delivery whose payload it removed: no hand-over.
        try (var c = dataSource.getConnection();
                var u = c.prepareStatement("UPDATE webhook_deliveries SET status = 'failed' WHERE id = ?")) {
            u.setObject(1, head.get("A1").deliveryId());
            u.executeUpdate();
        }
        Thread.sleep(LEASE.toMillis() + 200);
        assertEquals(Map.of(), claim(subscription), "A2 stays parked until something lets it go");
        assertTrue(sweeper.sweep() >= 1);
        assertEquals(java.util.Set.of("A2"), claim(subscription).keySet());
    }

    @Test
    void handedOffDeliveriesAreStoredLeasedAndComeBackWhenTheirLeaseRunsOut() throws Exception {
        String tenant = tenant();
        UUID plain = UUID.fromString(as(tenant).body(Map.of("url", "http://127.0.0.1:9/plain", "events",
                List.of("*"))).post().then().statusCode(201).extract().path("id"));
        UUID refused = UUID.fromString(as(tenant).body(Map.of("url", "http://127.0.0.1:9/refused", "events",
                List.of("*"))).post().then().statusCode(201).extract().path("id"));
        UUID ordered = UUID.fromString(as(tenant).body(Map.of("url", "http://127.0.0.1:9/ordered", "events",
                List.of("*"), "ordering", "conversation")).post().then().statusCode(201).extract().path("id"));
        var events = new java.util.ArrayList<DeliveryRepository.IncomingEvent>();
        for (int i = 1; i <= 3; i++) {
            String id = UUID.randomUUID().toString();
            events.add(new DeliveryRepository.IncomingEvent(id, tenant, "message.received", "msg_" + i,
                    "{\"type\":\"message.received\",\"data\":{\"n\":" + i + "}}", Instant.now(), null,
                    UUID.randomUUID().toString()));
        }
        // Room for two, and the dispatcher will not take the "refused" endpoint now.
        var handOff = new DeliveryRepository.HandOff(2, id -> !id.equals(refused), LEASE);
        var recorded = transactions.run(c -> deliveries.record(c, events, handOff));

        assertEquals(9, recorded.inserted());
        assertEquals(2, recorded.handedOff().size(), "the room bounds the hand-off");
        for (Claimed d : recorded.handedOff()) {
            assertEquals(plain, d.subscriptionId(), "lined and refused endpoints go through the claim");
            assertEquals(0, d.attempts());
            assertNull(d.conversationId());
            var source = events.stream().filter(e -> e.id().equals(d.eventId())).findFirst().orElseThrow();
            assertEquals(source.body(), d.body());
            assertEquals(source.webhookId(), d.webhookId());
            assertTrue(nextAttemptAt(d.deliveryId()).isAfter(Instant.now().plusMillis(LEASE.toMillis() / 2)),
                    "stored leased, as a claim leaves it");
        }
        // The claimer gets everything else: plain's third delivery, all of refused's, the head of each line.
        var claimable = transactions.run(c -> deliveries.claim(c, 500, List.of(), LEASE)).stream()
                .filter(d -> d.tenantId().equals(tenant)).toList();
        assertEquals(7, claimable.size());
        assertEquals(1, claimable.stream().filter(d -> d.subscriptionId().equals(plain)).count());
        assertTrue(claimable.stream().noneMatch(d -> recorded.handedOff().stream()
                .anyMatch(h -> h.deliveryId().equals(d.deliveryId()))));

        // The same records again (Kafka redelivers after a crash): nothing new, nothing handed off twice.
        var again = transactions.run(c -> deliveries.record(c, events, new DeliveryRepository.HandOff(100,
                id -> true, LEASE)));
        assertEquals(0, again.inserted());
        assertEquals(List.of(), again.handedOff());

        // The process that held them died: once the lease runs out they are claimed like any due delivery.
        Thread.sleep(LEASE.toMillis() + 200);
        var back = transactions.run(c -> deliveries.claim(c, 500, List.of(), LEASE)).stream()
                .map(Claimed::deliveryId).toList();
        for (Claimed d : recorded.handedOff()) {
            assertTrue(back.contains(d.deliveryId()));
        }
    }
}
