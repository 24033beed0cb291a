package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The public conversation API, end to end through Kafka, as an integrator's back end uses it. */
class ConversationApiIT {

    static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
    }

    static RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json");
    }

    static JsonPath openSession(String key, String userId) {
        return api(key).body(Map.of("userId", userId)).post("/v1/sessions")
                .then().statusCode(201).extract().jsonPath();
    }

    static JsonPath say(String key, String sessionId, String text) {
        return api(key).body(Map.of("sessionId", sessionId, "text", text)).post("/v1/messages")
                .then().statusCode(200).extract().jsonPath();
    }

    static List<Map<String, Object>> history(String key, String conversationId, int expected) {
        return history(key, conversationId, expected, Duration.ofSeconds(30));
    }

    static List<Map<String, Object>> history(String key, String conversationId, int expected, Duration wait) {
        await().atMost(wait).pollInterval(Duration.ofMillis(200)).until(() ->
                api(key).get("/v1/conversations/" + conversationId).then().statusCode(200).extract().jsonPath()
                        .getInt("messageCount") >= expected);
        return api(key).queryParam("limit", 200).get("/v1/conversations/" + conversationId).then().statusCode(200)
                .extract().jsonPath().getList("messages");
    }

    @Test
    void aTurnAnswersWithTheIntentsResponseAndLandsInTheHistory() {
        var session = openSession(stack.apiKey, "alice");
        assertEquals("banking-demo", session.getString("botId"));
        assertNotNull(session.getString("expiresAt"));

        var turn = say(stack.apiKey, session.getString("sessionId"), "My card still hasn't arrived, it's been two weeks");
        assertEquals("card_arrival", turn.getString("intent.name"));
        assertTrue(turn.getDouble("intent.confidence") > 0.3);
        assertEquals(session.getString("conversationId"), turn.getString("conversationId"));
        assertTrue(turn.getString("reply").contains("working days"), turn.getString("reply"));
        assertEquals(1, turn.getList("messages").size());
        assertTrue(turn.getList("quickReplies").size() >= 1);
        assertTrue(turn.getList("suggestedActions").size() >= 1);

        var messages = history(stack.apiKey, session.getString("conversationId"), 2);
        assertEquals(2, messages.size());
        assertEquals("user", messages.get(0).get("role"));
        assertEquals(turn.getString("messageId"), messages.get(0).get("messageId"));
        assertEquals("bot", messages.get(1).get("role"));
        assertEquals(turn.getString("reply"), messages.get(1).get("text"));
        assertEquals(turn.getString("messageId"), messages.get(1).get("inReplyTo"));
        assertEquals("card_arrival", ((Map<?, ?>) messages.get(1).get("intent")).get("name"));
    }

    @Test
    void greetingAndSomethingOutOfScopeAreTold() {
        var session = openSession(stack.apiKey, "bob");
        assertEquals("greeting", say(stack.apiKey, session.getString("sessionId"), "hello there").getString("intent.name"));
        var lost = say(stack.apiKey, session.getString("sessionId"), "what is the boiling point of tungsten");
        assertEquals("fallback", lost.getString("intent.name"));
        assertTrue(lost.getList("quickReplies").size() >= 3);
    }

    @Test
    void aSessionCanResumeTheUsersConversation() {
        var first = openSession(stack.apiKey, "carol");
        say(stack.apiKey, first.getString("sessionId"), "How do I top up by bank transfer?");
        var resumed = api(stack.apiKey).body(Map.of("userId", "carol", "conversationId", first.getString("conversationId")))
                .post("/v1/sessions").then().statusCode(201).extract().jsonPath();
        assertEquals(first.getString("conversationId"), resumed.getString("conversationId"));
        assertTrue(resumed.getBoolean("resumed"));
        say(stack.apiKey, resumed.getString("sessionId"), "thanks");
        assertEquals(4, history(stack.apiKey, first.getString("conversationId"), 4).size());

        // Another user cannot take over carol's conversation.
        api(stack.apiKey).body(Map.of("userId", "mallory", "conversationId", first.getString("conversationId")))
                .post("/v1/sessions").then().statusCode(404).body("code", equalTo("conversation_not_found"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON            | {"sessionId": "SESSION", "text": "hi"   | 400 | malformed_json
            text missing              | {"sessionId": "SESSION"}                | 400 | validation_failed
            text blank                | {"sessionId": "SESSION", "text": "   "} | 400 | validation_failed
            text a number             | {"sessionId": "SESSION", "text": 42}    | 400 | validation_failed
            text a boolean            | {"sessionId": "SESSION", "text": true}  | 400 | validation_failed
            text an object            | {"sessionId": "SESSION", "text": {"a": 1}} | 400 | validation_failed
            unknown field             | {"sessionId": "SESSION", "text": "hi", "txet": 1} | 400 | validation_failed
            metadata not an object    | {"sessionId": "SESSION", "text": "hi", "metadata": [1]} | 400 | validation_failed
            unknown session           | {"sessionId": "6d7c1f8e-0000-4000-8000-000000000000", "text": "hi"} | 404 | session_not_found
            session not a uuid        | {"sessionId": "../../etc/passwd", "text": "hi"} | 404 | session_not_found
            empty body                |                                         | 400 | validation_failed
            """)
    void badMessagesGetAProblemAndStoreNothing(String name, String body, int status, String code) {
        var session = openSession(stack.apiKey, "dave");
        say(stack.apiKey, session.getString("sessionId"), "hi");
        var request = api(stack.apiKey);
        if (body != null) {
            request = request.body(body.replace("SESSION", session.getString("sessionId")));
        }
        request.post("/v1/messages").then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("code", equalTo(code))
                .body("status", equalTo(status))
                .body("requestId", not(emptyOrNullString()))
                .body("detail", not(emptyOrNullString()));
        // Still exactly the one good turn.
        assertEquals(2, history(stack.apiKey, session.getString("conversationId"), 2).size());
        assertEquals(2, api(stack.apiKey).get("/v1/conversations/" + session.getString("conversationId"))
                .then().extract().jsonPath().getInt("messageCount"));
    }

    @Test
    void overlongTextIsRefused() {
        var session = openSession(stack.apiKey, "erin");
        api(stack.apiKey).body(Map.of("sessionId", session.getString("sessionId"), "text", "x".repeat(4001)))
                .post("/v1/messages").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("text"));
    }

    @Test
    void credentialsAreRequired() {
        given().contentType("application/json").body(Map.of("userId", "x")).post("/v1/sessions").then()
                .statusCode(401).contentType("application/problem+json").body("code", equalTo("unauthenticated"));
        api("pk_not_a_real_key_at_all_000000000").body(Map.of("userId", "x")).post("/v1/sessions").then()
                .statusCode(401).body("code", equalTo("unauthenticated"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/v1/conversations/x").then().statusCode(401);
    }

    @Test
    void anotherTenantSeesNothing() throws Exception {
        String otherKey = stack.createTenant(Stack.OTHER_TENANT + System.nanoTime());
        var mine = openSession(stack.apiKey, "frank");
        say(stack.apiKey, mine.getString("sessionId"), "I want to change my PIN");

        api(otherKey).body(Map.of("sessionId", mine.getString("sessionId"), "text", "hi")).post("/v1/messages")
                .then().statusCode(404).body("code", equalTo("session_not_found"));
        api(otherKey).get("/v1/conversations/" + mine.getString("conversationId")).then().statusCode(404)
                .body("code", equalTo("conversation_not_found"));
        api(otherKey).get("/v1/conversations/" + mine.getString("conversationId") + "/messages").then().statusCode(404);
        api(otherKey).body(Map.of("userId", "frank", "conversationId", mine.getString("conversationId")))
                .post("/v1/sessions").then().statusCode(404);
        // Bots belong to their tenant too: the other tenant has no banking-demo bot of its own.
        api(otherKey).body(Map.of("userId", "frank", "botId", Stack.BOT)).post("/v1/sessions").then().statusCode(404)
                .body("code", equalTo("bot_not_found"));
        assertEquals(2, history(stack.apiKey, mine.getString("conversationId"), 2).size());
    }

    @Test
    void historyPagesBothWaysWithOpaqueCursors() {
        var session = openSession(stack.apiKey, "grace");
        for (int i = 0; i < 5; i++) {
            say(stack.apiKey, session.getString("sessionId"), "message " + i + ": how do I top up?");
        }
        String conversation = session.getString("conversationId");
        var all = history(stack.apiKey, conversation, 10);
        assertEquals(10, all.size());
        List<Object> ids = all.stream().map(m -> m.get("messageId")).toList();

        // Newest page first, then older pages.
        var collected = new ArrayList<Object>();
        var page = api(stack.apiKey).queryParam("limit", 3).get("/v1/conversations/" + conversation + "/messages")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(ids.subList(7, 10), page.getList("messages.messageId"));
        assertTrue(page.getBoolean("hasOlder"));
        collected.addAll(0, page.getList("messages.messageId"));
        String newest = page.getString("cursors.newer");
        while (page.getString("cursors.older") != null) {
            page = api(stack.apiKey).queryParam("limit", 3).queryParam("before", page.getString("cursors.older"))
                    .get("/v1/conversations/" + conversation + "/messages").then().statusCode(200).extract().jsonPath();
            collected.addAll(0, page.getList("messages.messageId"));
        }
        assertEquals(ids, collected);

        // Forward from the oldest message's cursor.
        String oldest = (String) all.get(0).get("cursor");
        var forward = new ArrayList<Object>(List.of(ids.get(0)));
        String after = oldest;
        while (true) {
            page = api(stack.apiKey).queryParam("limit", 4).queryParam("after", after)
                    .get("/v1/conversations/" + conversation + "/messages").then().statusCode(200).extract().jsonPath();
            forward.addAll(page.getList("messages.messageId"));
            after = page.getString("cursors.newer");
            if (!page.getBoolean("hasNewer")) {
                break;
            }
        }
        assertEquals(ids, forward);
        assertEquals(newest, after);

        // Nothing newer than the newest: an empty page that keeps the cursor for polling.
        var empty = api(stack.apiKey).queryParam("after", newest).get("/v1/conversations/" + conversation + "/messages")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Collections.emptyList(), empty.getList("messages"));
        assertEquals(newest, empty.getString("cursors.newer"));

        api(stack.apiKey).queryParam("before", "not-a-cursor").get("/v1/conversations/" + conversation + "/messages")
                .then().statusCode(400).body("code", equalTo("invalid_cursor"));
        api(stack.apiKey).queryParam("limit", 0).get("/v1/conversations/" + conversation + "/messages")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        assertNull(api(stack.apiKey).queryParam("limit", 200).get("/v1/conversations/" + conversation + "/messages")
                .then().extract().jsonPath().getString("cursors.older"));
    }

    @Test
    void operationsEndpointsAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("http_server_requests_seconds"), "Prometheus metrics expose HTTP timings");
    }
}
