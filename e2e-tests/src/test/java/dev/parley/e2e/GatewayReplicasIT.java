package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * Two gateway replicas on one stack: each gets the bot's replies to the turns sent through it (the reply reaches the
 * replica that waits for it, whichever reply partition it lands on), and a conversation opened on one replica goes on
 * through the other.
 */
class GatewayReplicasIT {

    @Test
    void eachReplicaAnswersTheTurnsSentThroughIt() throws Exception {
        var stack = Stack.get();
        String first = stack.gatewayUrl;
        String second = stack.secondGateway().url();
        // A replica just started may answer its very first turns with 202 (seen once: the first reply took ~9 s to
        // reach a fresh replica); once one turn has come back through it, every turn must.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var session = post(second, stack.apiKey, "/v1/sessions", Map.of("userId", "u-" + UUID.randomUUID()), 201);
            return given().baseUri(second).header("Authorization", "Bearer " + stack.apiKey)
                    .contentType("application/json")
                    .body(Map.of("sessionId", session.getString("sessionId"), "text", "hello"))
                    .post("/v1/messages").statusCode() == 200;
        });
        for (String gateway : List.of(first, second, first, second)) {
            var session = post(gateway, stack.apiKey, "/v1/sessions", Map.of("userId", "u-" + UUID.randomUUID()), 201);
            // Several conversations, so the replies land on several reply partitions.
            for (String text : List.of("hello", "my card has not arrived yet", "thanks, bye")) {
                var reply = post(gateway, stack.apiKey, "/v1/messages",
                        Map.of("sessionId", session.getString("sessionId"), "text", text), 200);
                assertFalse(reply.getList("messages").isEmpty(), "a bot answer through " + gateway);
            }
        }
        // A conversation opened through one replica goes on through the other.
        var session = post(first, stack.apiKey, "/v1/sessions", Map.of("userId", "u-" + UUID.randomUUID()), 201);
        var reply = post(second, stack.apiKey, "/v1/messages",
                Map.of("sessionId", session.getString("sessionId"), "text", "hello"), 200);
        assertEquals(session.getString("conversationId"), reply.getString("conversationId"));
    }

    private static JsonPath post(String gateway, String key, String path, Map<String, Object> body, int status) {
        return given().baseUri(gateway).header("Authorization", "Bearer " + key).contentType("application/json")
                .body(body).post(path).then().statusCode(status).extract().jsonPath();
    }
}
