package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;

/**
 * Kills session-service (SIGKILL) while conversations are in full flow, restarts it, and proves that every message
 * the API accepted is in the history exactly once, in order, each followed by the bot's reply.
 */
class SessionServiceCrashIT {

    static final int CONVERSATIONS = 4;
    static final int MESSAGES_EACH = 25;

    @Test
    void everyAcceptedMessageSurvivesACrashExactlyOnceAndInOrder() throws Exception {
        var stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
        var conversations = new ArrayList<String>();
        var sessions = new ArrayList<String>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            var session = ConversationApiIT.openSession(stack.apiKey, "crash-user-" + c + "-" + System.nanoTime());
            conversations.add(session.getString("conversationId"));
            sessions.add(session.getString("sessionId"));
        }
        // The ids the API gave each accepted message, in the order the user sent them.
        Map<Integer, List<String>> accepted = new ConcurrentHashMap<>();
        var sent = new AtomicInteger();
        var done = new CountDownLatch(CONVERSATIONS);
        var pool = Executors.newFixedThreadPool(CONVERSATIONS);
        for (int c = 0; c < CONVERSATIONS; c++) {
            int conversation = c;
            accepted.put(c, new ArrayList<>());
            pool.submit(() -> {
                try {
                    for (int i = 0; i < MESSAGES_EACH; i++) {
                        String text = "crash test message " + i + " about my card";
                        while (true) {
                            var response = given().header("Authorization", "Bearer " + stack.apiKey)
                                    .contentType("application/json")
                                    .body(Map.of("sessionId", sessions.get(conversation), "text", text))
                                    .post("/v1/messages");
                            if (response.statusCode() == 200 || response.statusCode() == 202) {
                                accepted.get(conversation).add(response.jsonPath().getString("messageId"));
                                sent.incrementAndGet();
                                break;
                            }
                            // Anything else was not accepted: the client retries, as integrators do.
                            Thread.sleep(200);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= CONVERSATIONS * MESSAGES_EACH / 3);
        var session = stack.service("session-service");
        session.kill();
        Thread.sleep(1_000);
        session.start();
        assertTrue(done.await(3, TimeUnit.MINUTES), "all messages were sent");
        pool.shutdown();

        for (int c = 0; c < CONVERSATIONS; c++) {
            String conversation = conversations.get(c);
            List<String> ids = accepted.get(c);
            assertEquals(MESSAGES_EACH, ids.size());
            var history = ConversationApiIT.history(stack.apiKey, conversation, 2 * MESSAGES_EACH, Duration.ofSeconds(120));
            assertEquals(2 * MESSAGES_EACH, history.size(), "each user message and its reply, nothing twice");
            var seen = new HashSet<Object>();
            for (int i = 0; i < MESSAGES_EACH; i++) {
                var user = history.get(2 * i);
                var bot = history.get(2 * i + 1);
                assertEquals("user", user.get("role"));
                assertEquals(ids.get(i), user.get("messageId"), "user messages in the order they were sent");
                assertEquals("crash test message " + i + " about my card", user.get("text"));
                assertEquals("bot", bot.get("role"));
                assertEquals(ids.get(i), bot.get("inReplyTo"));
                assertTrue(seen.add(user.get("messageId")) && seen.add(bot.get("messageId")), "no duplicates");
            }
            int count = given().header("Authorization", "Bearer " + stack.apiKey).get("/v1/conversations/" + conversation)
                    .then().statusCode(200).extract().jsonPath().getInt("messageCount");
            assertEquals(2 * MESSAGES_EACH, count, "the conversation counted each message once");
        }
    }
}
