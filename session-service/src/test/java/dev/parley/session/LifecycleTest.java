package dev.parley.session;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.session.service.LifecycleService;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_session"))
class LifecycleTest {

    static final String TENANT = "tenant-lifecycle";

    @Inject
    LifecycleService lifecycle;

    static String conversationPath(String tenant, String id) {
        return "/internal/tenants/" + tenant + "/conversations/" + id;
    }

    /** Two answered turns: card_arrival then fallback. */
    static JsonPath conversationWithTwoTurns(String tenant, String user) {
        var session = Fixtures.openSession(tenant, user, null);
        for (String intent : List.of("card_arrival", "fallback")) {
            var turnAt = Fixtures.now();
            String id = UUID.randomUUID().toString();
            var message = new dev.parley.common.events.InboundMessage(id, tenant, "bot-1",
                    session.getString("conversationId"), session.getString("sessionId"), user, "hi " + intent, null,
                    null, turnAt);
            Fixtures.send(Topics.MESSAGES_INBOUND, message.conversationId(), message);
            Fixtures.reply(session, tenant, id, turnAt, intent);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get(conversationPath(tenant, session.getString("conversationId")))
                .then().body("conversation.messageCount", equalTo(4)));
        return session;
    }

    @Test
    void closingAnnouncesTheEndWithTurnsIntentsAndOutcomeAndReopeningContinues() {
        String user = "u-" + UUID.randomUUID();
        var session = conversationWithTwoTurns(TENANT, user);
        String id = session.getString("conversationId");
        try (var events = new Fixtures.Events(Topics.CONVERSATION_EVENTS)) {
            given().contentType("application/json").body(Map.of("outcome", "resolved"))
                    .post(conversationPath(TENANT, id) + "/close")
                    .then().statusCode(200).body("status", equalTo("closed")).body("outcome", equalTo("resolved"))
                    .body("endedAt", notNullValue());
            var ended = events.await("conversation.ended", e -> id.equals(e.getString("conversationId")));
            assertEquals(2, ended.getInt("turns"));
            assertEquals(List.of("card_arrival", "fallback"), ended.getList("intentsSeen"));
            assertEquals("resolved", ended.getString("outcome"));
            assertEquals("closed", ended.getString("reason"));
            assertEquals(user, ended.getString("userId"));
        }
        given().contentType("application/json").body(Map.of()).post(conversationPath(TENANT, id) + "/close")
                .then().statusCode(409);
        // The session of a closed conversation has expired.
        given().get("/internal/tenants/" + TENANT + "/sessions/" + session.getString("sessionId")).then()
                .statusCode(200).body("expiresAt", org.hamcrest.Matchers.lessThanOrEqualTo(Instant.now().toString()));

        given().post(conversationPath(TENANT, id) + "/reopen").then().statusCode(200).body("status", equalTo("active"))
                .body("endedAt", org.hamcrest.Matchers.nullValue());
        given().post(conversationPath(TENANT, id) + "/reopen").then().statusCode(409);
        given().contentType("application/json").body(Map.of()).post(conversationPath("another-tenant", id) + "/close")
                .then().statusCode(404);
    }

    @Test
    void inactiveConversationsExpireAndANewSessionContinuesTheirHistory() throws Exception {
        String user = "u-" + UUID.randomUUID();
        var session = conversationWithTwoTurns(TENANT, user);
        String id = session.getString("conversationId");
        try (var events = new Fixtures.Events(Topics.CONVERSATION_EVENTS)) {
            // An hour from now every conversation of this test is past the 30-minute inactivity timeout.
            while (lifecycle.expireInactive(Instant.now().plus(Duration.ofHours(1)), 200) == 200) {
            }
            given().get(conversationPath(TENANT, id)).then().body("conversation.status", equalTo("closed"))
                    .body("conversation.outcome", equalTo("expired"));
            var ended = events.await("conversation.ended", e -> id.equals(e.getString("conversationId")));
            assertEquals("expired", ended.getString("reason"));
            assertEquals(2, ended.getInt("turns"));
        }
        var next = Fixtures.openSession(TENANT, user, id);
        assertEquals(id, next.getString("conversationId"));
        assertTrue(next.getBoolean("resumed"));
        given().get(conversationPath(TENANT, id)).then().body("conversation.status", equalTo("active"))
                .body("page.messages.size()", equalTo(4));
    }

    @Test
    void aReplyOfferingAHumanPutsTheConversationInHandoff() {
        var session = Fixtures.openSession(TENANT, "u-" + UUID.randomUUID(), null);
        var turnAt = Fixtures.now();
        String messageId = Fixtures.userMessage(session, TENANT, "I want a human", null);
        var reply = new dev.parley.common.events.BotReply(messageId, TENANT, "bot-1",
                session.getString("conversationId"), session.getString("sessionId"), session.getString("userId"),
                turnAt, List.of(new dev.parley.common.events.BotMessage(UUID.randomUUID().toString(), "One moment")),
                new dev.parley.common.events.Intent("human", 0.9), List.of(),
                List.of(new dev.parley.common.events.SuggestedAction("handoff", "Talk to an agent", "agent")),
                Map.of(), Fixtures.now());
        Fixtures.send(Topics.REPLIES, reply.conversationId(), reply);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get(conversationPath(TENANT, session.getString("conversationId")))
                .then().body("conversation.status", equalTo("handoff")));
    }

    @Test
    void listingFiltersAndPagesWithACursor() {
        String tenant = "tenant-list-" + UUID.randomUUID();
        var ids = new ArrayList<String>();
        for (int i = 0; i < 7; i++) {
            ids.add(Fixtures.openSession(tenant, i % 2 == 0 ? "even" : "odd", null).getString("conversationId"));
        }
        given().contentType("application/json").body(Map.of()).post(conversationPath(tenant, ids.get(0)) + "/close")
                .then().statusCode(200);

        var seen = new ArrayList<String>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 3);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            var page = request.get("/internal/tenants/" + tenant + "/conversations").then().statusCode(200)
                    .extract().jsonPath();
            seen.addAll(page.getList("conversations.conversationId"));
            cursor = page.getString("next");
        } while (cursor != null);
        var newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
        assertEquals(7, new HashSet<>(seen).size());

        given().queryParam("userId", "even").get("/internal/tenants/" + tenant + "/conversations").then()
                .body("conversations.size()", equalTo(4));
        given().queryParam("status", "closed").get("/internal/tenants/" + tenant + "/conversations").then()
                .body("conversations.conversationId", equalTo(List.of(ids.get(0))));
        given().queryParam("botId", "other-bot").get("/internal/tenants/" + tenant + "/conversations").then()
                .body("conversations.size()", equalTo(0));
        given().queryParam("from", Instant.now().plus(Duration.ofDays(1)).toString())
                .get("/internal/tenants/" + tenant + "/conversations").then().body("conversations.size()", equalTo(0));
        given().queryParam("to", "2020-01-01").get("/internal/tenants/" + tenant + "/conversations").then()
                .body("conversations.size()", equalTo(0));
        given().queryParam("status", "nope").get("/internal/tenants/" + tenant + "/conversations").then()
                .statusCode(400);
        given().queryParam("cursor", "garbage").get("/internal/tenants/" + tenant + "/conversations").then()
                .statusCode(400).body("code", equalTo("invalid_cursor"));
        given().queryParam("from", "yesterday").get("/internal/tenants/" + tenant + "/conversations").then()
                .statusCode(400);
        assertNull(given().get("/internal/tenants/nobody/conversations").then().extract().jsonPath()
                .getString("next"));
    }
}
