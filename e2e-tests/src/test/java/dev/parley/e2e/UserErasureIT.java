package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * An erasure across the packaged services: a user's conversation goes through the whole turn pipeline, then
 * {@code DELETE /v1/users/{userId}} sends {@code user.erased} to every service; the request completes only when
 * session-, dialogue-, webhook- and knowledge-service have each confirmed, and afterwards no API returns the user's
 * data while another user's conversation is untouched.
 */
class UserErasureIT {

    static final List<String> SERVICES = List.of("session-service", "dialogue-service", "webhook-service",
            "knowledge-service");

    static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + stack.apiKey).contentType("application/json");
    }

    /** A user with attributes and a conversation of two answered turns; returns the session. */
    static JsonPath userWithConversation(String user) {
        api().body(Map.of("attributes", Map.of("plan", "gold"))).put("/v1/users/" + user).then().statusCode(201);
        var session = api().body(Map.of("userId", user)).post("/v1/sessions").then().statusCode(201).extract()
                .jsonPath();
        for (String text : List.of("My card still hasn't arrived", "How do I top up by bank transfer?")) {
            int status = api().body(Map.of("sessionId", session.getString("sessionId"), "text", text))
                    .post("/v1/messages").then().extract().statusCode();
            assertTrue(status == 200 || status == 202, "status " + status);
        }
        String conversation = session.getString("conversationId");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> api()
                .get("/v1/conversations/" + conversation + "/messages").then().statusCode(200).extract().jsonPath()
                .getList("messages").size() == 4);
        return session;
    }

    @Test
    void everyServiceConfirmsAndNothingOfTheUserIsLeft() {
        String user = "erin-" + UUID.randomUUID();
        String bystander = "bo-" + UUID.randomUUID();
        var session = userWithConversation(user);
        var kept = userWithConversation(bystander);
        String conversation = session.getString("conversationId");

        var started = api().delete("/v1/users/" + user).then().statusCode(202).extract().jsonPath();
        String erasureId = started.getString("erasureId");
        assertNotNull(erasureId);
        String progress = "/v1/users/" + user + "/erasures/" + erasureId;
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> "completed"
                .equals(api().get(progress).then().statusCode(200).extract().path("status")));

        var done = api().get(progress).then().statusCode(200).extract().jsonPath();
        for (String service : SERVICES) {
            assertEquals("confirmed", done.getString("services.find { it.service == '" + service + "' }.status"),
                    service + " in " + done.prettify());
        }
        // The transcript and the dialogue held rows of this user: their services report them erased.
        assertTrue(done.getLong("services.find { it.service == 'session-service' }.itemsErased") > 0, done.prettify());
        assertTrue(done.getLong("services.find { it.service == 'dialogue-service' }.itemsErased") > 0, done.prettify());

        api().get("/v1/users/" + user).then().statusCode(404);
        api().get("/v1/users/" + user + "/export").then().statusCode(404);
        api().get("/v1/conversations/" + conversation).then().statusCode(404);
        api().get("/v1/conversations/" + conversation + "/messages").then().statusCode(404);
        api().body(Map.of("sessionId", session.getString("sessionId"), "text", "hello again")).post("/v1/messages")
                .then().statusCode(404);
        List<Object> listed = api().queryParam("userId", user).get("/v1/conversations").then().statusCode(200)
                .extract().jsonPath().getList("conversations");
        assertEquals(List.of(), listed);

        // Another user's data is untouched.
        api().get("/v1/users/" + bystander).then().statusCode(200);
        assertEquals(4, api().get("/v1/conversations/" + kept.getString("conversationId") + "/messages").then()
                .statusCode(200).extract().jsonPath().getList("messages").size());
    }
}
