package dev.parley.webhook;

import static dev.parley.webhook.WebhookApi.as;
import static dev.parley.webhook.WebhookApi.create;
import static dev.parley.webhook.WebhookApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import dev.parley.common.Topics;
import dev.parley.testsupport.ParleyTestResources;
import dev.parley.testsupport.Sql;
import dev.parley.webhook.Receiver.Answer;
import dev.parley.webhook.service.RetentionPurger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Events from Kafka reach the endpoints that asked for them, signed per Standard Webhooks (checked with the official
 * library), retried on the configured schedule (shrunk for tests: 0s, 200ms, 200ms, 200ms), and logged.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook"))
class DeliveryTest {

    static Receiver receiver;
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;
    @Inject
    RetentionPurger purger;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    static String path() {
        return "/" + UUID.randomUUID();
    }

    static List<Receiver.Request> awaitRequests(String path, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests(path).size() >= count);
        return receiver.requests(path);
    }

    static void verify(String secret, Receiver.Request request) throws WebhookVerificationException {
        new Webhook(secret).verify(request.body(), request.headers());
    }

    @Test
    void eventsReachMatchingEndpointsSignedWithTypeTimestampAndData() throws Exception {
        String tenant = tenant();
        String messages = path();
        String everything = path();
        String started = path();
        var messagesHook = create(tenant, receiver.url(messages), List.of("message.*"));
        var allHook = create(tenant, receiver.url(everything), List.of("*"));
        create(tenant, receiver.url(started), List.of("conversation.started"));
        create(tenant(), receiver.url(messages), List.of("*")); // another tenant's endpoint gets nothing of ours

        String sent = Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{\"text\":\"Hello\",\"n\":1}");
        Events.send(Topics.DIALOGUE_EVENTS, tenant, "lead.qualified", "{\"score\":0.9}");

        var request = awaitRequests(messages, 1).get(0);
        verify(messagesHook.getString("secret"), request);
        assertThrows(WebhookVerificationException.class, () -> verify(allHook.getString("secret"), request),
                "another endpoint's secret does not verify");
        JsonNode body = JSON.readTree(request.body());
        assertEquals("message.sent", body.get("type").asText());
        assertEquals("Hello", body.get("data").get("text").asText());
        assertNotNull(Instant.parse(body.get("timestamp").asText()));
        assertTrue(request.header("webhook-id").startsWith("msg_"));
        assertEquals("application/json", request.header("content-type"));

        var all = awaitRequests(everything, 2);
        assertEquals(Set2.of("message.sent", "lead.qualified"), Set2.of(type(all.get(0)), type(all.get(1))));
        for (var r : all) {
            verify(allHook.getString("secret"), r);
        }
        Thread.sleep(500);
        assertEquals(1, receiver.requests(messages).size(), "lead.qualified does not match message.*");
        assertEquals(0, receiver.requests(started).size());

        // The same record again (a consumer replay): no second delivery.
        Events.send(Topics.CONVERSATION_EVENTS, sent, tenant, "message.sent", "{\"text\":\"Hello\",\"n\":1}");
        Thread.sleep(1_000);
        assertEquals(1, receiver.requests(messages).size());
    }

    @Test
    void aReceiverThatFailsThenRecoversGetsTheEventWithTheSameWebhookId() throws Exception {
        String tenant = tenant();
        String p = path();
        receiver.on(p, n -> n <= 2 ? new Answer(500, Map.of(), "database down", 0) : Answer.status(204));
        var hook = create(tenant, receiver.url(p), List.of("*"));
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.received", "{}");

        var requests = awaitRequests(p, 3);
        assertEquals(1, new HashSet<>(requests.stream().map(r -> r.header("webhook-id")).toList()).size(),
                "one webhook-id on every attempt");
        for (var r : requests) {
            verify(hook.getString("secret"), r);
        }
        String id = hook.getString("id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(tenant).get("/" + id + "/deliveries")
                .then().statusCode(200).body("items[0].status", equalTo("succeeded")));
        String deliveryId = as(tenant).get("/" + id + "/deliveries").then().extract().path("items[0].id");
        var detail = as(tenant).get("/" + id + "/deliveries/" + deliveryId).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(500, 500, 204), detail.getList("attempts.statusCode"));
        assertEquals("database down", detail.getString("attempts[0].responseBody"));
        assertEquals("message.received", detail.getString("payload.type"));
        assertFalse(detail.getBoolean("payloadPurged"));
    }

    @Test
    void aDeliveryThatNeverSucceedsFailsAfterTheLastScheduledAttempt() {
        String tenant = tenant();
        String p = path();
        receiver.on(p, n -> Answer.status(500));
        String id = create(tenant, receiver.url(p), List.of("*")).getString("id");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(tenant).get("/" + id + "/deliveries")
                .then().body("items[0].status", equalTo("failed")).body("items[0].attempts", equalTo(4)));
        assertEquals(4, receiver.requests(p).size(), "the test schedule has four attempts");
    }

    @Test
    void gone410DisablesTheEndpointAndAnnouncesIt() {
        String tenant = tenant();
        String gone = path();
        String monitor = path();
        receiver.on(gone, n -> Answer.status(410));
        String id = create(tenant, receiver.url(gone), List.of("message.*")).getString("id");
        create(tenant, receiver.url(monitor), List.of("webhook.*"));
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(tenant).get("/" + id).then()
                .body("enabled", equalTo(false)).body("disabledReason", equalTo("the endpoint answered 410 Gone")));
        var announced = awaitRequests(monitor, 1).get(0);
        assertTrue(announced.body().contains("\"type\":\"webhook.endpoint.disabled\""), announced.body());
        assertTrue(announced.body().contains(id), announced.body());

        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        sleep(1_000);
        assertEquals(1, receiver.requests(gone).size(), "a disabled endpoint gets nothing more");
    }

    @Test
    void retryAfterOn429IsHonoured() {
        String tenant = tenant();
        String p = path();
        receiver.on(p, n -> n == 1 ? new Answer(429, Map.of("Retry-After", "2"), "", 0) : Answer.status(200));
        create(tenant, receiver.url(p), List.of("*"));
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        var requests = awaitRequests(p, 2);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos());
        assertTrue(gapMillis >= 1_900, "waited " + gapMillis + " ms although the schedule says 200 ms");
    }

    @Test
    void redirectsAreFailuresAndNotFollowed() {
        String tenant = tenant();
        String p = path();
        String target = path();
        receiver.on(p, n -> new Answer(302, Map.of("Location", receiver.url(target)), "", 0));
        String id = create(tenant, receiver.url(p), List.of("*")).getString("id");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(tenant).get("/" + id + "/deliveries")
                .then().body("items[0].status", equalTo("failed")));
        assertEquals(0, receiver.requests(target).size());
        assertEquals("HTTP 302 (redirects are not followed)", as(tenant).get("/" + id + "/deliveries")
                .then().extract().path("items[0].lastError"));
    }

    @Test
    void duringARotationBothSecretsSignThenOnlyTheNewOne() throws Exception {
        String tenant = tenant();
        String p = path();
        var hook = create(tenant, receiver.url(p), List.of("*"));
        String id = hook.getString("id");
        String oldSecret = hook.getString("secret");
        String newSecret = as(tenant).body(Map.of("gracePeriodSeconds", 3600)).post("/" + id + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        var during = awaitRequests(p, 1).get(0);
        assertEquals(2, during.header("webhook-signature").split(" ").length);
        verify(oldSecret, during);
        verify(newSecret, during);

        String newest = as(tenant).body(Map.of("gracePeriodSeconds", 0)).post("/" + id + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        var after = awaitRequests(p, 2).get(1);
        assertEquals(1, after.header("webhook-signature").split(" ").length);
        verify(newest, after);
        assertThrows(WebhookVerificationException.class, () -> verify(newSecret, after));
    }

    @Test
    void aHangingEndpointDoesNotDelayAHealthyOne() {
        String tenant = tenant();
        String hanging = path();
        String healthy = path();
        receiver.on(hanging, n -> new Answer(200, Map.of(), "", 10_000));
        create(tenant, receiver.url(hanging), List.of("message.*"));
        create(tenant, receiver.url(healthy), List.of("*"));
        int events = 40;
        for (int i = 0; i < events; i++) {
            Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{\"i\":" + i + "}");
        }
        var delivered = awaitRequests(healthy, events);
        long first = Math.min(delivered.get(0).receivedAtNanos(), awaitRequests(hanging, 1).get(0).receivedAtNanos());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(delivered.get(events - 1).receivedAtNanos() - first);
        // Each hanging request takes the whole 5 s test timeout: had the healthy endpoint waited behind them, it
        // would have needed several rounds of that.
        assertTrue(tookMillis < 4_500, "the healthy endpoint had all " + events + " events " + tookMillis
                + " ms after the first delivery");
        assertTrue(receiver.mostConcurrent(hanging) <= 32, "the hanging endpoint holds at most its own share of "
                + "connections, not " + receiver.mostConcurrent(hanging));
        assertTrue(receiver.mostConcurrent(hanging) >= 2, "requests to one endpoint run side by side");
    }

    @Test
    void pingReportsTheFirstAttempt() throws Exception {
        String tenant = tenant();
        String p = path();
        var hook = create(tenant, receiver.url(p), List.of("message.sent"));
        as(tenant).post("/" + hook.getString("id") + "/test").then().statusCode(200)
                .body("status", equalTo("succeeded")).body("statusCode", equalTo(200));
        var ping = receiver.requests(p).get(0);
        verify(hook.getString("secret"), ping);
        assertEquals("webhook.ping", JSON.readTree(ping.body()).get("type").asText());

        String down = path();
        receiver.on(down, n -> Answer.status(503));
        String downId = create(tenant, receiver.url(down), List.of("*")).getString("id");
        as(tenant).post("/" + downId + "/test").then().statusCode(200)
                .body("status", equalTo("pending")).body("statusCode", equalTo(503));
    }

    @Test
    void theLogFiltersAndReplayAndRecoverSendAgain() {
        String tenant = tenant();
        String p = path();
        boolean[] up = { false };
        receiver.on(p, n -> up[0] ? Answer.status(200) : Answer.status(500));
        String id = create(tenant, receiver.url(p), List.of("*")).getString("id");
        Instant before = Instant.now();
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "conversation.started", "{}");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(tenant).queryParam("status", "failed")
                .get("/" + id + "/deliveries").then().body("items.size()", equalTo(2)));
        as(tenant).queryParam("eventType", "message.sent").get("/" + id + "/deliveries").then()
                .body("items.size()", equalTo(1)).body("items[0].eventType", equalTo("message.sent"));
        as(tenant).queryParam("since", Instant.now().plusSeconds(60).toString()).get("/" + id + "/deliveries").then()
                .body("items.size()", equalTo(0));
        as(tenant).queryParam("limit", 1).get("/" + id + "/deliveries").then().body("items.size()", equalTo(1))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        as(tenant).queryParam("status", "nonsense").get("/" + id + "/deliveries").then().statusCode(400);
        as(tenant).queryParam("since", "yesterday").get("/" + id + "/deliveries").then().statusCode(400);

        up[0] = true;
        String one = as(tenant).queryParam("eventType", "message.sent").get("/" + id + "/deliveries").then()
                .extract().path("items[0].id");
        as(tenant).post("/" + id + "/deliveries/" + one + "/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(tenant).get("/" + id + "/deliveries/" + one)
                .then().body("delivery.status", equalTo("succeeded")));

        as(tenant).body(Map.of("since", before.toString())).post("/" + id + "/recover").then().statusCode(202)
                .body("recovered", equalTo(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(tenant).queryParam("status", "succeeded")
                .get("/" + id + "/deliveries").then().body("items.size()", equalTo(2)));
    }

    @Test
    void payloadsPastRetentionArePurgedAndCannotBeReplayed() throws Exception {
        String tenant = tenant();
        String p = path();
        String id = create(tenant, receiver.url(p), List.of("*")).getString("id");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{\"secret\":\"customer data\"}");
        awaitRequests(p, 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(tenant).get("/" + id + "/deliveries")
                .then().body("items[0].status", equalTo("succeeded")));
        try (var connection = dataSource.getConnection()) {
            Sql.execute(connection, "UPDATE webhook_events SET created_at = now() - interval '31 days' WHERE tenant_id = '"
                    + tenant + "'");
        }
        assertTrue(purger.purge() >= 1);
        String delivery = as(tenant).get("/" + id + "/deliveries").then().extract().path("items[0].id");
        as(tenant).get("/" + id + "/deliveries/" + delivery).then().statusCode(200)
                .body("payloadPurged", equalTo(true)).body("delivery.status", equalTo("succeeded"));
        as(tenant).post("/" + id + "/deliveries/" + delivery + "/replay").then().statusCode(409);
    }

    @Test
    void anEndpointFailingForDaysIsDisabled() throws Exception {
        String tenant = tenant();
        String p = path();
        receiver.on(p, n -> Answer.status(500));
        String id = create(tenant, receiver.url(p), List.of("*")).getString("id");
        try (var connection = dataSource.getConnection()) {
            Sql.execute(connection, "UPDATE webhook_subscriptions SET failing_since = now() - interval '6 days' WHERE id = '"
                    + id + "'");
        }
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(tenant).get("/" + id).then()
                .body("enabled", equalTo(false)).body("disabledReason", org.hamcrest.Matchers.startsWith("failing")));
    }

    private static String type(Receiver.Request request) throws Exception {
        return JSON.readTree(request.body()).get("type").asText();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Order-free comparison of two values. */
    record Set2(java.util.Set<String> values) {
        static Set2 of(String a, String b) {
            return new Set2(java.util.Set.of(a, b));
        }
    }
}
