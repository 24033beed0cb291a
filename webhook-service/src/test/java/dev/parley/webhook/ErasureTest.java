package dev.parley.webhook;

import static dev.parley.webhook.WebhookApi.as;
import static dev.parley.webhook.WebhookApi.create;
import static dev.parley.webhook.WebhookApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.testsupport.ErasureCommands;
import dev.parley.testsupport.ParleyTestResources;
import dev.parley.testsupport.Sql;
import dev.parley.webhook.Receiver.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * user.erased in webhook-service, against the real broker and database: the stored payloads of the user's events
 * are erased, their pending deliveries fail and are never sent, a replay is refused with 409 delivery_erased, late
 * events about the user are not stored, other users' events still flow, and the erasure is confirmed (again on a
 * redelivery).
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook"))
class ErasureTest {

    static final Duration CONFIRMED_WITHIN = Duration.ofSeconds(90);
    static Receiver receiver;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /** Sends an event keyed by its conversation, as session-service and dialogue-service do. */
    static String send(String tenant, String type, String conversationId, String userId, String text, Instant at) {
        return send(conversationId, tenant, type, conversationId, userId, text, at);
    }

    static String send(String key, String tenant, String type, String conversationId, String userId, String text,
            Instant at) {
        String id = UUID.randomUUID().toString();
        String data = "{\"conversationId\":\"" + conversationId + "\""
                + (userId == null ? "" : ",\"userId\":\"" + userId + "\"")
                + (text == null ? "" : ",\"text\":\"" + text + "\"") + "}";
        var headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(id));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("/parley/test"));
        headers.add("ce_time", bytes(at.toString()));
        headers.add("ce_tenantid", bytes(tenant));
        headers.add("ce_conversationid", bytes(conversationId));
        try {
            Events.producer().send(new ProducerRecord<>(Topics.CONVERSATION_EVENTS, null, key, data, headers))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long count(String sql) throws Exception {
        try (var connection = dataSource.getConnection()) {
            return Sql.count(connection, sql);
        }
    }

    @Test
    void pendingDeliveriesOfAnErasedUserAreNeverSentNorReplayedAndLateEventsAreDropped() throws Exception {
        String tenant = tenant();
        String user = "erase-" + UUID.randomUUID();
        String other = "keep-" + UUID.randomUUID();
        String conversation = UUID.randomUUID().toString();
        String secret = "secret-" + UUID.randomUUID();
        // The user's endpoint asks for a pause until the erasure: every delivery to it stays pending.
        String held = "/" + UUID.randomUUID();
        boolean[] pausing = { true };
        receiver.on(held, n -> pausing[0] ? new Answer(429, Map.of("Retry-After", "6"), "echo " + secret, 0)
                : Answer.status(200));
        String heldId = create(tenant, receiver.url(held), List.of("message.*", "handoff.*")).getString("id");
        String open = "/" + UUID.randomUUID();
        String openId = create(tenant, receiver.url(open), List.of("conversation.*")).getString("id");

        send(tenant, "message.received", conversation, user, secret, Instant.now());
        send(tenant, "message.sent", conversation, user, "reply to " + secret, Instant.now());
        // Some events name only the conversation (a handoff, for one).
        send(tenant, "handoff.requested", conversation, null, null, Instant.now());
        String otherConversation = UUID.randomUUID().toString();
        send(tenant, "conversation.started", otherConversation, other, null, Instant.now());

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests(held).size() >= 1
                && receiver.requests(open).size() >= 1);
        var firstAttemptAt = Instant.now();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(tenant).queryParam("status", "pending")
                .get("/" + heldId + "/deliveries").then().body("items.size()", equalTo(3)));
        long answers = count("SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
                + " WHERE d.tenant_id = '" + tenant + "' AND a.response_excerpt LIKE '%" + secret + "%'");
        assertTrue(answers >= 1, "the receiver's answers quoting the user's data are logged");
        pausing[0] = false;

        try (var commands = new ErasureCommands()) {
            var requestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String erasureId = UUID.randomUUID().toString();
            commands.send(erasureId, tenant, user, requestedAt);
            var confirmed = commands.awaitConfirmation(erasureId, "webhook-service", CONFIRMED_WITHIN);
            assertEquals(tenant, confirmed.getString("tenantId"));
            assertEquals(user, confirmed.getString("userId"));
            assertEquals(3 + answers, confirmed.getLong("itemsErased"), "three event payloads and the receiver's answers");

            // Nothing of the user is left in the database.
            assertEquals(0, count("SELECT count(*) FROM webhook_events WHERE tenant_id = '" + tenant + "' AND ("
                    + "body LIKE '%" + secret + "%' OR user_id = '" + user + "')"));
            assertEquals(0, count("SELECT count(*) FROM webhook_attempts WHERE response_excerpt LIKE '%" + secret + "%'"));
            assertEquals(3, count("SELECT count(*) FROM webhook_events WHERE tenant_id = '" + tenant
                    + "' AND conversation_id = '" + conversation + "' AND body IS NULL AND erased_at IS NOT NULL"));

            // Its deliveries failed, the log says why, and they can be neither replayed nor recovered.
            var log = as(tenant).get("/" + heldId + "/deliveries").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("failed", "failed", "failed"), log.getList("items.status"));
            log.getList("items.lastError", String.class).forEach(e -> assertTrue(e.contains("erased"), e));
            String delivery = log.getString("items[0].id");
            as(tenant).get("/" + heldId + "/deliveries/" + delivery).then().statusCode(200)
                    .body("payload", equalTo(null)).body("payloadPurged", equalTo(true));
            as(tenant).post("/" + heldId + "/deliveries/" + delivery + "/replay").then().statusCode(409)
                    .contentType("application/problem+json").body("code", equalTo("delivery_erased"));
            as(tenant).body(Map.of("since", requestedAt.minusSeconds(3600).toString())).post("/" + heldId + "/recover")
                    .then().statusCode(202).body("recovered", equalTo(0));

            // Late events: one about the user that occurred before the erasure, one naming only the erased
            // conversation. Neither is stored. An event keyed to the same partition after them, about another user,
            // proves they were read.
            send(conversation, tenant, "message.received", UUID.randomUUID().toString(), user, "late " + secret,
                    requestedAt.minusMillis(10));
            send(tenant, "handoff.released", conversation, null, null, Instant.now());
            send(conversation, tenant, "message.received", otherConversation, other, "sentinel", Instant.now());
            await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM webhook_events WHERE tenant_id = '"
                    + tenant + "' AND body LIKE '%sentinel%'") == 1);
            assertEquals(0, count("SELECT count(*) FROM webhook_events WHERE tenant_id = '" + tenant + "' AND ("
                    + "body LIKE '%late %' OR event_type = 'handoff.released')"));

            // Past the endpoint's pause: only the sentinel reached it; nothing of the user was sent after the erasure.
            long pauseOver = Duration.between(Instant.now(), firstAttemptAt.plusSeconds(8)).toMillis();
            if (pauseOver > 0) {
                Thread.sleep(pauseOver);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests(held).size() >= answers + 1);
            Thread.sleep(1_000);
            var requests = receiver.requests(held);
            assertEquals(answers + 1, requests.size(), "the attempts before the erasure and the sentinel after it");
            var last = requests.get(requests.size() - 1);
            assertTrue(last.body().contains("sentinel") && !last.body().contains(user), last.body());

            // Another user's event went out as usual.
            assertTrue(receiver.requests(open).get(0).body().contains(other));
            as(tenant).get("/" + openId + "/deliveries").then().body("items[0].status", equalTo("succeeded"));

            // A redelivered command erases nothing more and confirms again.
            commands.send(erasureId, tenant, user, requestedAt);
            var again = commands.awaitConfirmations(erasureId, "webhook-service", 2, CONFIRMED_WITHIN);
            assertEquals(0, again.get(1).getLong("itemsErased"));

            // The same user id coming back later (a new conversation after the erasure) is delivered again.
            String comeback = UUID.randomUUID().toString();
            send(tenant, "conversation.started", comeback, user, null, Instant.now().plusMillis(5));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests(open).stream()
                    .anyMatch(r -> r.body().contains(comeback)));
        }
    }
}
