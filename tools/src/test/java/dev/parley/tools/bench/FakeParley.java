package dev.parley.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process stand-in for the public API on an ephemeral port: {@code POST /v1/sessions} and
 * {@code POST /v1/messages} with fixed delays, one 202 and one 500 at chosen message numbers.
 */
final class FakeParley implements AutoCloseable {

    static final String API_KEY = "pk_fake";

    final long sessionDelayMillis;
    final long messageMinMillis;
    final long messageMaxMillis;
    final int acceptedMessageNumber;
    final int failingMessageNumber;

    final AtomicInteger sessionPosts = new AtomicInteger();
    final AtomicInteger messagePosts = new AtomicInteger();
    final AtomicInteger badRequests = new AtomicInteger();
    final AtomicInteger maxMessagesPerSession = new AtomicInteger();
    private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    FakeParley(long sessionDelayMillis, long messageMinMillis, long messageMaxMillis, int acceptedMessageNumber,
            int failingMessageNumber) throws IOException {
        this.sessionDelayMillis = sessionDelayMillis;
        this.messageMinMillis = messageMinMillis;
        this.messageMaxMillis = messageMaxMillis;
        this.acceptedMessageNumber = acceptedMessageNumber;
        this.failingMessageNumber = failingMessageNumber;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/v1/sessions", this::session);
        server.createContext("/v1/messages", this::message);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private JsonNode authorizedPost(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            problem(exchange, 405, "method_not_allowed");
            return null;
        }
        if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            problem(exchange, 401, "unauthenticated");
            return null;
        }
        try (InputStream in = exchange.getRequestBody()) {
            return mapper.readTree(in);
        } catch (IOException e) {
            badRequests.incrementAndGet();
            problem(exchange, 400, "malformed_json");
            return null;
        }
    }

    private void session(HttpExchange exchange) throws IOException {
        JsonNode body = authorizedPost(exchange);
        if (body == null) {
            return;
        }
        sessionPosts.incrementAndGet();
        String userId = body.path("userId").asText("");
        if (!userId.matches("bench-user-\\d+")) {
            badRequests.incrementAndGet();
            problem(exchange, 400, "validation_failed");
            return;
        }
        sleep(sessionDelayMillis);
        String sessionId = UUID.randomUUID().toString();
        sessions.put(sessionId, new AtomicInteger());
        send(exchange, 201, "application/json", Map.of("sessionId", sessionId, "conversationId",
                UUID.randomUUID().toString(), "userId", userId, "botId", "bank-bot",
                "expiresAt", "2030-01-01T00:00:00Z"));
    }

    private void message(HttpExchange exchange) throws IOException {
        JsonNode body = authorizedPost(exchange);
        if (body == null) {
            return;
        }
        int number = messagePosts.incrementAndGet();
        AtomicInteger perSession = sessions.get(body.path("sessionId").asText(""));
        if (perSession == null) {
            badRequests.incrementAndGet();
            problem(exchange, 404, "session_not_found");
            return;
        }
        maxMessagesPerSession.accumulateAndGet(perSession.incrementAndGet(), Math::max);
        if (body.path("text").asText("").isBlank()) {
            badRequests.incrementAndGet();
            problem(exchange, 400, "validation_failed");
            return;
        }
        sleep(ThreadLocalRandom.current().nextLong(messageMinMillis, messageMaxMillis + 1));
        if (number == acceptedMessageNumber) {
            send(exchange, 202, "application/json", Map.of("messageId", UUID.randomUUID().toString(),
                    "conversationId", "c", "status", "accepted"));
        } else if (number == failingMessageNumber) {
            problem(exchange, 500, "internal");
        } else {
            send(exchange, 200, "application/json", Map.of("messageId", UUID.randomUUID().toString(),
                    "conversationId", "c", "reply", "Let me help you with that.", "messages", java.util.List.of(),
                    "quickReplies", java.util.List.of(), "suggestedActions", java.util.List.of(),
                    "intent", Map.of("name", "card_arrival", "confidence", 0.93), "metadata", Map.of()));
        }
    }

    private void problem(HttpExchange exchange, int status, String code) throws IOException {
        send(exchange, status, "application/problem+json", Map.of("type", "https://parley.dev/problems/" + code,
                "title", code, "status", status, "code", code, "requestId", "req-1"));
    }

    private void send(HttpExchange exchange, int status, String contentType, Object body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String utf8(java.io.ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }
}
