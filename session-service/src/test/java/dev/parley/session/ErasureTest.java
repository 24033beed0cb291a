package dev.parley.session;

import static dev.parley.testsupport.Sql.count;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.InboundMessage;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_session"))
class ErasureTest {

    static final String TENANT = "tenant-erasure";

    @Inject
    DataSource dataSource;

    static String users(String user) {
        return "/internal/tenants/" + TENANT + "/users/" + user;
    }

    /** Rows anywhere in session-service that belong to the user. */
    long rowsOf(String user) throws Exception {
        try (var c = dataSource.getConnection()) {
            String u = user.replace("'", "''");
            return count(c, "SELECT count(*) FROM users WHERE user_id = '" + u + "'")
                    + count(c, "SELECT count(*) FROM conversations WHERE user_id = '" + u + "'")
                    + count(c, "SELECT count(*) FROM sessions WHERE user_id = '" + u + "'")
                    + count(c, "SELECT count(*) FROM messages m WHERE text LIKE '%" + u + "%'")
                    + count(c, "SELECT count(*) FROM outbox WHERE payload LIKE '%" + u + "%' AND type <> 'user.erased'");
        }
    }

    @Test
    void erasureRemovesEverythingAndCompletesWhenEveryServiceHasConfirmed() throws Exception {
        String user = "erase-" + UUID.randomUUID();
        given().contentType("application/json").body(Map.of("attributes", Map.of("email", "a@b.c"))).put(users(user))
                .then().statusCode(201);
        var session = LifecycleTest.conversationWithTwoTurns(TENANT, user);
        String conversation = session.getString("conversationId");
        Fixtures.userMessage(session, TENANT, "my name is " + user, null);
        Fixtures.awaitProcessed(TENANT, List.of(conversation));
        assertTrue(rowsOf(user) > 0);

        JsonPath erasure;
        try (var commands = new Fixtures.Events(Topics.USER_ERASURES)) {
            erasure = given().post(users(user) + "/erasures").then().statusCode(202)
                    .body("status", equalTo("in_progress")).extract().jsonPath();
            var command = commands.await("user.erased", c -> erasure.getString("erasureId").equals(c.getString("erasureId")));
            assertEquals(user, command.getString("userId"));
            assertEquals(TENANT, command.getString("tenantId"));
        }
        String id = erasure.getString("erasureId");
        assertEquals(List.of("dialogue-service", "knowledge-service", "session-service", "webhook-service"),
                erasure.getList("services.service"));
        assertEquals("confirmed", erasure.getString("services.find { it.service == 'session-service' }.status"));
        assertEquals("pending", erasure.getString("services.find { it.service == 'dialogue-service' }.status"));

        assertEquals(0, rowsOf(user));
        given().get(users(user)).then().statusCode(404);
        given().get(users(user) + "/export").then().statusCode(404);
        given().get("/internal/tenants/" + TENANT + "/conversations/" + conversation).then().statusCode(404);
        given().get("/internal/tenants/" + TENANT + "/sessions/" + session.getString("sessionId")).then().statusCode(404);

        for (String service : List.of("dialogue-service", "webhook-service")) {
            Fixtures.send(Topics.ERASURE_CONFIRMATIONS, TENANT + ":" + user,
                    new ErasureConfirmed(id, TENANT, user, service, 3, Fixtures.now()));
        }
        // A confirmation from another tenant's name changes nothing.
        Fixtures.send(Topics.ERASURE_CONFIRMATIONS, "x", new ErasureConfirmed(id, "intruder", user,
                "knowledge-service", 0, Fixtures.now()));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get(users(user) + "/erasures/" + id)
                .then().body("services.find { it.service == 'webhook-service' }.status", equalTo("confirmed"))
                .body("services.find { it.service == 'webhook-service' }.itemsErased", equalTo(3))
                .body("status", equalTo("in_progress")));
        Fixtures.send(Topics.ERASURE_CONFIRMATIONS, TENANT + ":" + user,
                new ErasureConfirmed(id, TENANT, user, "knowledge-service", 0, Fixtures.now()));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given()
                .get("/internal/tenants/" + TENANT + "/erasures/" + id).then().statusCode(200)
                .body("status", equalTo("completed")));
        given().get("/internal/tenants/other/erasures/" + id).then().statusCode(404);
        given().get(users("someone-else") + "/erasures/" + id).then().statusCode(404);
    }

    /**
     * Messages and replies of the user keep arriving while the erasure runs (including messages accepted before
     * it and consumed after it, and messages on its conversations sent after it): nothing of the user survives.
     */
    @Test
    void messagesRacingTheErasureLeaveNothingBehind() throws Exception {
        String user = "racer-" + UUID.randomUUID();
        var sessions = new ArrayList<JsonPath>();
        for (int i = 0; i < 4; i++) {
            sessions.add(Fixtures.openSession(TENANT, user, null));
        }
        var pool = Executors.newFixedThreadPool(4);
        var start = new CountDownLatch(1);
        var sent = new AtomicInteger();
        var senders = new ArrayList<java.util.concurrent.Future<?>>();
        for (var session : sessions) {
            senders.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 30; i++) {
                    var turnAt = Fixtures.now();
                    String id = UUID.randomUUID().toString();
                    Fixtures.send(Topics.MESSAGES_INBOUND, session.getString("conversationId"),
                            new InboundMessage(id, TENANT, "bot-1", session.getString("conversationId"),
                                    session.getString("sessionId"), user, "race " + i + " " + user, null,
                                    Map.of("counter", i), turnAt));
                    Fixtures.reply(session, TENANT, id, turnAt, "chat");
                    sent.incrementAndGet();
                    Thread.sleep(5);
                }
                return null;
            }));
        }
        start.countDown();
        await().atMost(Duration.ofSeconds(120)).until(() -> sent.get() >= 20);
        given().post(users(user) + "/erasures").then().statusCode(202);
        for (var sender : senders) {
            sender.get();
        }
        pool.shutdown();
        assertEquals(120, sent.get());
        Fixtures.awaitProcessed(TENANT, sessions.stream().map(s -> s.getString("conversationId")).toList());
        assertEquals(0, rowsOf(user), "nothing of the erased user is left");
        given().get(users(user)).then().statusCode(404);
        try (var deadLetters = new Fixtures.Events(Topics.DEAD_LETTER)) {
            assertTrue(deadLetters.drain(Duration.ofSeconds(2)).stream().noneMatch(r -> r.value().contains(user)),
                    "late records were dropped, not parked in the dead-letter topic");
        }
        // The user may come back later: that is a new, post-erasure conversation.
        var fresh = Fixtures.openSession(TENANT, user, null);
        Fixtures.userMessage(fresh, TENANT, "back again", null);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given()
                .get("/internal/tenants/" + TENANT + "/conversations/" + fresh.getString("conversationId")).then()
                .body("conversation.messageCount", equalTo(1)));
    }
}
