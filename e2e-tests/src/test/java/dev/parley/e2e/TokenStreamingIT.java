package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Token streaming through the packaged services: a bot answers from an OpenAI-compatible server that streams its
 * answer in pieces; the conversation's SSE stream at the gateway shows the pieces as message.delta under the id of
 * the bot message, then message.sent with the whole text; a reconnect with Last-Event-ID gets the turn it missed.
 */
class TokenStreamingIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PIECES = List.of("Gift ", "cards ", "work ", "online ", "and ", "in ", "every ",
            "shop.");
    static Stack stack;
    static HttpServer llm;

    @BeforeAll
    static void start() throws IOException {
        stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
        llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        llm.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String piece : PIECES) {
                    out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},"
                            + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(40); // a model writes over time: the deltas come in several records
                }
                out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        llm.start();
        String bot = """
                id: streamer
                fallback: { responses: [ "Sorry, I can't help with that." ] }
                intents:
                  greeting: { examples: [ "hello", "hi there", "good morning" ], responses: [ "Hello!" ] }
                  goodbye: { examples: [ "bye", "see you later", "goodbye" ], responses: [ "Bye!" ] }
                models:
                  endpoints:
                    gpt: { provider: openai, model: gpt-4o, baseUrl: "http://127.0.0.1:%d/v1", timeoutMillis: 5000 }
                  tasks:
                    answer-generation: [ gpt ]
                """.formatted(llm.getAddress().getPort());
        api().contentType("application/yaml").queryParam("publish", true).body(bot.getBytes(StandardCharsets.UTF_8))
                .post("/v1/bots").then().statusCode(201);
    }

    @AfterAll
    static void stop() {
        if (llm != null) {
            llm.stop(0);
        }
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + stack.apiKey).contentType("application/json");
    }

    record Event(String id, String type, JsonNode data) {
    }

    /** The gateway's event stream of a conversation, read event by event. */
    static final class Events implements AutoCloseable {
        final HttpResponse<Stream<String>> response;
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        Events(String conversationId, String lastEventId) throws IOException, InterruptedException {
            var request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl + "/v1/conversations/" + conversationId
                    + "/events")).header("Authorization", "Bearer " + stack.apiKey)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            String id = null;
            String type = null;
            String data = null;
            try {
                Iterator<String> lines = response.body().iterator();
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (line.isEmpty()) {
                        if (data != null) {
                            events.add(new Event(id, type, JSON.readTree(data)));
                        }
                        type = null;
                        data = null;
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5).trim();
                    }
                }
            } catch (IOException | RuntimeException closed) {
                // closed by the test
            }
        }

        Event next(long seconds) throws InterruptedException {
            return events.poll(seconds, TimeUnit.SECONDS);
        }

        /** Events until (and including) the first of the given type; fails after 30 s. */
        List<Event> until(String type) throws InterruptedException {
            var seen = new ArrayList<Event>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Event event = next(1);
                if (event != null) {
                    seen.add(event);
                    if (event.type().equals(type)) {
                        return seen;
                    }
                }
            }
            throw new AssertionError("no " + type + " within 30 s; saw " + seen);
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void theStreamShowsTheAnswerAsItIsWrittenAndResumesAfterADisconnect() throws Exception {
        var session = api().body(Map.of("userId", "sam", "botId", "streamer")).post("/v1/sessions").then()
                .statusCode(201).extract().jsonPath();
        String conversation = session.getString("conversationId");
        String sessionId = session.getString("sessionId");
        String lastId;
        try (var stream = new Events(conversation, null)) {
            assertEquals("stream.ready", stream.until("stream.ready").get(0).type());

            // The gateway's feed joins its topics shortly after start-up, and the first turn of a new bot may take
            // longer than the synchronous wait (202): try turns until one is seen whole on the stream.
            List<Event> turn = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (turn == null && System.nanoTime() < deadline) {
                String userMessageId = api().body(Map.of("sessionId", sessionId,
                        "text", "can I pay with a gift card on the website?")).post("/v1/messages").then()
                        .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                                org.hamcrest.Matchers.is(202)))
                        .extract().path("messageId");
                var seen = new ArrayList<Event>();
                Event event;
                while ((event = stream.next(20)) != null) {
                    seen.add(event);
                    if (event.type().equals("message.sent")
                            && event.data().path("inReplyTo").asText().equals(userMessageId)) {
                        break;
                    }
                }
                boolean complete = seen.stream().anyMatch(e -> e.type().equals("message.received")
                        && e.data().path("messageId").asText().equals(userMessageId))
                        && seen.stream().anyMatch(e -> e.type().equals("message.delta")
                                && e.data().path("inReplyTo").asText().equals(userMessageId)
                                && e.data().path("index").asInt() == 0)
                        && event != null;
                if (complete) {
                    turn = seen.stream().filter(e -> !e.type().equals("message.delta")
                            || e.data().path("inReplyTo").asText().equals(userMessageId)).toList();
                }
            }
            assertTrue(turn != null, "a whole turn was streamed");
            var finalMessage = turn.get(turn.size() - 1);
            String botMessageId = finalMessage.data().path("messageId").asText();
            assertEquals(String.join("", PIECES), finalMessage.data().path("text").asText());

            var deltas = turn.stream().filter(e -> e.type().equals("message.delta")).toList();
            assertTrue(deltas.size() >= 2, "the answer came in several pieces: " + deltas.size());
            var text = new StringBuilder();
            for (int i = 0; i < deltas.size(); i++) {
                var delta = deltas.get(i).data();
                assertEquals(i, delta.path("index").asInt());
                assertEquals(botMessageId, delta.path("messageId").asText(), "deltas carry the final message's id");
                text.append(delta.path("delta").asText());
            }
            assertTrue(deltas.get(deltas.size() - 1).data().path("final").asBoolean());
            var sent = turn.get(turn.size() - 1);
            assertEquals("message.sent", sent.type());
            assertEquals(text.toString(), sent.data().path("text").asText(), "the final message is the deltas joined");
            int sentAt = turn.indexOf(sent);
            assertTrue(turn.indexOf(deltas.get(deltas.size() - 1)) < sentAt, "deltas come before the final message");
            lastId = sent.id();
        }

        // Disconnected: a whole turn happens. The reconnect replays it, then goes live.
        String missedUser = api().body(Map.of("sessionId", sessionId, "text", "and can I pay with a gift card in a shop?"))
                .post("/v1/messages").then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                        org.hamcrest.Matchers.is(202))).extract().path("messageId");
        var missedReplyId = new java.util.concurrent.atomic.AtomicReference<String>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> history = api().get("/v1/conversations/" + conversation + "/messages").then()
                    .statusCode(200).extract().jsonPath().getList("messages");
            history.stream().filter(m -> missedUser.equals(m.get("inReplyTo"))).findFirst()
                    .ifPresent(m -> missedReplyId.set((String) m.get("messageId")));
            return missedReplyId.get() != null && history.stream().anyMatch(m -> missedUser.equals(m.get("messageId")));
        });
        try (var stream = new Events(conversation, lastId)) {
            var replayed = stream.until("stream.ready");
            assertEquals(List.of("message.received", "message.sent", "stream.ready"),
                    replayed.stream().map(Event::type).toList());
            assertEquals(missedUser, replayed.get(0).data().path("messageId").asText());
            assertEquals("and can I pay with a gift card in a shop?", replayed.get(0).data().path("text").asText());
            assertEquals(missedReplyId.get(), replayed.get(1).data().path("messageId").asText());
            assertEquals(String.join("", PIECES), replayed.get(1).data().path("text").asText());
            assertEquals(2, replayed.get(2).data().path("replayed").asInt());
        }

        // Another tenant cannot open this conversation's stream.
        String other = stack.createTenant("streamco");
        var refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl
                + "/v1/conversations/" + conversation + "/events")).header("Authorization", "Bearer " + other).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, refused.statusCode());
        assertEquals("conversation_not_found", JSON.readTree(refused.body()).path("code").asText());
    }
}
