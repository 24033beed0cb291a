package dev.parley.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for session-service and dialogue-service's internal APIs, tenant by tenant as they behave: an id of
 * another tenant is 404. Lets the gateway's own tests cover its public endpoints without the other services.
 */
public class FakeBackends implements QuarkusTestResourceLifecycleManager {

    record Conversation(String tenantId, String conversationId, String userId, String botId) {
    }

    record Session(String tenantId, String sessionId, String conversationId, String userId, String botId) {
    }

    static final Map<String, Conversation> CONVERSATIONS = new ConcurrentHashMap<>();
    static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
    /** Stored messages by tenant/conversation, oldest first, as session-service's transcript would hold them. */
    public static final Map<String, java.util.List<Map<String, Object>>> TRANSCRIPTS = new ConcurrentHashMap<>();
    private static final Pattern PATH = Pattern.compile("/internal/tenants/([^/]+)/(sessions|conversations|bots)(?:/([^/]+))?(/messages)?");
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.session.url", url, "quarkus.rest-client.dialogue.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                problem(exchange, 404, "not_found");
                return;
            }
            String tenant = path.group(1);
            String kind = path.group(2);
            String id = path.group(3);
            boolean post = "POST".equals(exchange.getRequestMethod());
            switch (kind) {
                case "bots" -> {
                    if ("banking-demo".equals(id)) {
                        respond(exchange, 200, Map.of("botId", id, "name", "Banking demo", "version", 1));
                    } else {
                        problem(exchange, 404, "bot_not_found");
                    }
                }
                case "sessions" -> {
                    if (post && id == null) {
                        openSession(exchange, tenant);
                    } else {
                        var session = SESSIONS.get(tenant + '/' + id);
                        if (session == null) {
                            problem(exchange, 404, "session_not_found");
                        } else {
                            respond(exchange, 200, sessionJson(session, false));
                        }
                    }
                }
                default -> {
                    var conversation = CONVERSATIONS.get(tenant + '/' + id);
                    if (conversation == null) {
                        problem(exchange, 404, "conversation_not_found");
                        return;
                    }
                    var page = page(TRANSCRIPTS.getOrDefault(tenant + '/' + id, java.util.List.of()),
                            exchange.getRequestURI().getQuery());
                    if (path.group(4) != null) {
                        respond(exchange, 200, page);
                    } else {
                        var info = Map.of("conversationId", conversation.conversationId(), "tenantId", tenant,
                                "botId", conversation.botId(), "userId", conversation.userId(), "status", "active",
                                "startedAt", Instant.now().toString(), "lastActivityAt", Instant.now().toString(),
                                "messageCount", 0);
                        respond(exchange, 200, Map.of("conversation", info, "page", page));
                    }
                }
            }
        } catch (RuntimeException e) {
            problem(exchange, 500, "internal");
        }
    }

    /** The newest page, or the page just older than {@code before}; a cursor is the index of a message. */
    private static Map<String, Object> page(java.util.List<Map<String, Object>> transcript, String query) {
        int limit = 50;
        int end = transcript.size();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && kv[0].equals("limit")) {
                limit = Integer.parseInt(kv[1]);
            } else if (kv.length == 2 && kv[0].equals("before") && !kv[1].isEmpty()) {
                end = Integer.parseInt(kv[1]);
            }
        }
        int start = Math.max(0, end - limit);
        var messages = new java.util.ArrayList<Map<String, Object>>();
        for (int i = start; i < end; i++) {
            var message = new java.util.HashMap<>(transcript.get(i));
            message.put("cursor", String.valueOf(i));
            messages.add(message);
        }
        var page = new java.util.HashMap<String, Object>();
        page.put("messages", messages);
        page.put("hasOlder", start > 0);
        page.put("hasNewer", end < transcript.size());
        if (start > 0) {
            page.put("older", String.valueOf(start));
        }
        return page;
    }

    private void openSession(HttpExchange exchange, String tenant) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String userId = body.path("userId").asText();
        String conversationId = body.path("conversationId").asText(null);
        String botId = body.path("botId").asText(null);
        Conversation conversation;
        boolean resumed = conversationId != null;
        if (conversationId != null) {
            conversation = CONVERSATIONS.get(tenant + '/' + conversationId);
            if (conversation == null || !conversation.userId().equals(userId)) {
                problem(exchange, 404, "conversation_not_found");
                return;
            }
        } else {
            conversation = new Conversation(tenant, UUID.randomUUID().toString(), userId, botId);
            CONVERSATIONS.put(tenant + '/' + conversation.conversationId(), conversation);
        }
        var session = new Session(tenant, UUID.randomUUID().toString(), conversation.conversationId(), userId,
                conversation.botId());
        SESSIONS.put(tenant + '/' + session.sessionId(), session);
        respond(exchange, 200, sessionJson(session, resumed));
    }

    private static Map<String, Object> sessionJson(Session session, boolean resumed) {
        return Map.of("sessionId", session.sessionId(), "tenantId", session.tenantId(), "conversationId",
                session.conversationId(), "userId", session.userId(), "botId", session.botId(), "createdAt",
                Instant.now().toString(), "expiresAt", Instant.now().plusSeconds(3600).toString(), "resumed", resumed);
    }

    private static void problem(HttpExchange exchange, int status, String code) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        byte[] body = JSON.writeValueAsBytes(Map.of("type", "https://parley.dev/problems/" + code, "title", code,
                "status", status, "detail", "Not found", "code", code));
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void respond(HttpExchange exchange, int status, Object value) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] body = JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
