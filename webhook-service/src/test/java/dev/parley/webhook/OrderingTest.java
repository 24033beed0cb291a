package dev.parley.webhook;

import static dev.parley.webhook.WebhookApi.as;
import static dev.parley.webhook.WebhookApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.testsupport.ParleyTestResources;
import dev.parley.webhook.Receiver.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code ordering: conversation}: the deliveries of one conversation to an endpoint go one after the other in event
 * order, even when one of them has to be retried; other conversations and endpoints without ordering are not held.
 * Retries follow the test schedule (0s, 200ms, 200ms, 200ms).
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook"))
class OrderingTest {

    static Receiver receiver;
    static final ObjectMapper JSON = new ObjectMapper();

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

    static String hook(String tenant, String url, String ordering) {
        var body = ordering == null ? Map.of("url", url, "events", List.of("*"))
                : Map.of("url", url, "events", List.of("*"), "ordering", ordering);
        return as(tenant).body(body).post().then().statusCode(201)
                .body("ordering", equalTo(ordering == null ? "none" : ordering)).extract().path("id");
    }

    /** Sends event n of conversation label (data {"conv": label, "n": n}) on the given topic. */
    static void send(String topic, String tenant, String label, String conversation, int n) {
        Events.send(topic, UUID.randomUUID().toString(), tenant, "message.sent",
                "{\"conv\":\"" + label + "\",\"n\":" + n + "}", conversation);
    }

    static boolean is(String body, String label, int n) {
        return body.contains("\"conv\":\"" + label + "\",\"n\":" + n + "}");
    }

    static String label(Receiver.Request request) {
        try {
            JsonNode data = JSON.readTree(request.body()).get("data");
            return data.get("conv").asText() + data.get("n").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Receiver.Request> awaitRequests(String path, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests(path).size() >= count);
        return receiver.requests(path);
    }

    static List<Receiver.Request> of(List<Receiver.Request> requests, String conversation) {
        return requests.stream().filter(r -> label(r).startsWith(conversation)).toList();
    }

    @Test
    void laterEventsOfAConversationWaitForTheRetriedOneWhileOtherConversationsFlow() {
        String tenant = tenant();
        String path = path();
        var firstOfA = new AtomicInteger();
        // A1 fails slowly the first time (1.5 s, 500), then succeeds slowly (300 ms); everything else succeeds at once.
        receiver.onBody(path, (n, body) -> !is(body, "A", 1) ? Answer.status(200)
                : firstOfA.incrementAndGet() == 1 ? new Answer(500, Map.of(), "", 1_500)
                : new Answer(200, Map.of(), "", 300));
        hook(tenant, receiver.url(path), "conversation");
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        for (int i = 1; i <= 4; i++) {
            send(Topics.CONVERSATION_EVENTS, tenant, "A", a, i);
        }
        send(Topics.CONVERSATION_EVENTS, tenant, "B", b, 1);
        send(Topics.CONVERSATION_EVENTS, tenant, "B", b, 2);

        var all = awaitRequests(path, 7);
        var ofA = of(all, "A");
        assertEquals(List.of("A1", "A1", "A2", "A3", "A4"), ofA.stream().map(OrderingTest::label).toList(),
                "conversation A in event order, A1 retried before anything after it");
        var ofB = of(all, "B");
        assertEquals(List.of("B1", "B2"), ofB.stream().map(OrderingTest::label).toList());
        long retryOfA1 = ofA.get(1).receivedAtNanos();
        assertTrue(ofB.get(1).receivedAtNanos() < retryOfA1, "conversation B is not held by A's retry");
        assertTrue(ofA.get(2).receivedAtNanos() - retryOfA1 >= TimeUnit.MILLISECONDS.toNanos(300),
                "A2 goes only after A1's successful attempt answered");
        for (int i = 3; i < ofA.size(); i++) {
            assertTrue(ofA.get(i).receivedAtNanos() >= ofA.get(i - 1).receivedAtNanos());
        }
    }

    @Test
    void withoutOrderingLaterEventsAreNotHeld() {
        String tenant = tenant();
        String path = path();
        var firstOfA = new AtomicInteger();
        receiver.onBody(path, (n, body) -> is(body, "A", 1) && firstOfA.incrementAndGet() == 1
                ? new Answer(500, Map.of(), "", 1_500) : Answer.status(200));
        hook(tenant, receiver.url(path), null);
        String a = UUID.randomUUID().toString();
        for (int i = 1; i <= 3; i++) {
            send(Topics.CONVERSATION_EVENTS, tenant, "A", a, i);
        }
        var all = awaitRequests(path, 4);
        long retryOfA1 = all.stream().filter(r -> label(r).equals("A1")).skip(1).findFirst().orElseThrow()
                .receivedAtNanos();
        for (var r : all) {
            if (!label(r).equals("A1")) {
                assertTrue(r.receivedAtNanos() < retryOfA1, label(r) + " was not held behind A1's retry");
            }
        }
    }

    @Test
    void aDeliveryThatFinallyFailsReleasesTheLine() {
        String tenant = tenant();
        String path = path();
        receiver.onBody(path, (n, body) -> is(body, "A", 1) ? Answer.status(500) : Answer.status(200));
        String id = hook(tenant, receiver.url(path), "conversation");
        String a = UUID.randomUUID().toString();
        for (int i = 1; i <= 3; i++) {
            send(Topics.CONVERSATION_EVENTS, tenant, "A", a, i);
        }
        var all = awaitRequests(path, 6);
        assertEquals(List.of("A1", "A1", "A1", "A1", "A2", "A3"), all.stream().map(OrderingTest::label).toList(),
                "the four attempts of A1 (the whole schedule), then the rest of the line");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            as(tenant).get("/" + id + "/deliveries?status=failed").then().statusCode(200).body("items.size()", equalTo(1));
            as(tenant).get("/" + id + "/deliveries?status=succeeded").then().statusCode(200).body("items.size()", equalTo(2));
        });
    }

    @Test
    void eventsOfOneConversationOnTwoTopicsAreOrderedByRecordTime() throws Exception {
        String tenant = tenant();
        String path = path();
        var firstOfA = new AtomicInteger();
        receiver.onBody(path, (n, body) -> is(body, "A", 1) && firstOfA.incrementAndGet() == 1
                ? new Answer(500, Map.of(), "", 500) : Answer.status(200));
        hook(tenant, receiver.url(path), "conversation");
        String a = UUID.randomUUID().toString();
        send(Topics.CONVERSATION_EVENTS, tenant, "A", a, 1);
        Thread.sleep(20);
        send(Topics.DIALOGUE_EVENTS, tenant, "A", a, 2);
        var all = awaitRequests(path, 3);
        assertEquals(List.of("A1", "A1", "A2"), all.stream().map(OrderingTest::label).toList());
    }

    @Test
    void turningOrderingOffLetsWaitingDeliveriesGo() {
        String tenant = tenant();
        String path = path();
        receiver.onBody(path, (n, body) -> is(body, "A", 1) ? new Answer(500, Map.of(), "", 1_000)
                : Answer.status(200));
        String id = hook(tenant, receiver.url(path), "conversation");
        String a = UUID.randomUUID().toString();
        send(Topics.CONVERSATION_EVENTS, tenant, "A", a, 1);
        send(Topics.CONVERSATION_EVENTS, tenant, "A", a, 2);
        awaitRequests(path, 1);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> receiver.requests(path).stream().noneMatch(r -> label(r).equals("A2")));

        as(tenant).body(Map.of("ordering", "none")).patch("/" + id).then().statusCode(200)
                .body("ordering", equalTo("none"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> receiver.requests(path).stream().anyMatch(r -> label(r).equals("A2")));
        long attemptsOfA1 = receiver.requests(path).stream().filter(r -> label(r).equals("A1")).count();
        assertTrue(attemptsOfA1 < 4, "A2 went while A1 was still being retried (" + attemptsOfA1 + " attempts)");
    }

    @Test
    void orderingIsValidatedAndShown() {
        String tenant = tenant();
        String url = receiver.url(path());
        as(tenant).body(Map.of("url", url, "events", List.of("*"), "ordering", "fifo")).post().then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        as(tenant).body(Map.of("url", url, "events", List.of("*"), "ordering", "x".repeat(100))).post().then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        as(tenant).get().then().statusCode(200).body("items.size()", equalTo(0));

        String id = hook(tenant, url, null);
        as(tenant).body(Map.of("ordering", "Conversation")).patch("/" + id).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("validation_failed"));
        as(tenant).get("/" + id).then().statusCode(200).body("ordering", equalTo("none"));
        as(tenant).body(Map.of("ordering", "conversation")).patch("/" + id).then().statusCode(200)
                .body("ordering", equalTo("conversation"));
        as(tenant).body(Map.of("description", "orders")).patch("/" + id).then().statusCode(200)
                .body("ordering", equalTo("conversation"), "description", equalTo("orders"));
        as(tenant).get().then().statusCode(200).body("items[0].ordering", equalTo("conversation"));
    }
}
