package dev.parley.dialogue.knowledge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local HTTP server in place of knowledge-service's {@code POST /internal/tenants/{tenantId}/search}, with the
 * same request and result JSON. It answers by the query: one about dogs finds the pets passage (similar
 * enough), one about the weather finds only a passage of low similarity, one with "slowly" answers after 5 s. It
 * refuses (400) a request for another tenant, bot or tags, or one with a field knowledge-service does not know, so a
 * relevant answer also proves the tenant, bot and tags were passed as knowledge-service expects.
 */
public class KnowledgeStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String TENANT = "t-knowledge";
    public static final String BOT = "grounded-bot";
    public static final List<String> TAGS = List.of("policies");
    public static final String PETS_TEXT = "Dogs travel with you on the train for free. A dog must stay on a lead or "
            + "in a carrier for the whole journey. Cats travel only in a closed carrier.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_FIELDS = Set.of("query", "botId", "tags", "limit", "mode");

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            var thread = new Thread(runnable, "knowledge-stand-in");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
        return Map.of("parley.dialogue.knowledge.enabled", "true",
                "parley.dialogue.knowledge.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expectedPath = "/internal/tenants/" + TENANT + "/search";
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                respond(exchange, 400, problem("malformed_json"));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !expectedPath.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, problem("not_found"));
                return;
            }
            var fields = new java.util.HashSet<String>();
            body.fieldNames().forEachRemaining(fields::add);
            if (!KNOWN_FIELDS.containsAll(fields) || !BOT.equals(body.path("botId").asText())
                    || !JSON.valueToTree(TAGS).equals(body.path("tags")) || body.path("query").asText().isBlank()) {
                respond(exchange, 400, problem("validation_failed"));
                return;
            }
            String query = body.path("query").asText().toLowerCase(java.util.Locale.ROOT);
            if (query.contains("slowly")) {
                Thread.sleep(5_000);
            }
            var results = JSON.createArrayNode();
            if (query.contains("dog")) {
                results.add(result("doc-pets", "doc-pets:0", "Travelling with pets", PETS_TEXT,
                        "Dogs travel with you on the train for free.", "https://help.example.com/pets", 0.84));
                results.add(result("doc-delivery", "doc-delivery:2", "Delivery", "Parcels to Norway take 4 days.",
                        "Parcels to Norway take 4 days.", null, 0.52));
            } else {
                results.add(result("doc-delivery", "doc-delivery:2", "Delivery", "Parcels to Norway take 4 days.",
                        "Parcels to Norway take 4 days.", null, 0.41));
            }
            var response = JSON.createObjectNode();
            response.set("results", results);
            respond(exchange, 200, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode result(String documentId, String chunkId, String title, String text, String snippet,
            String source, double similarity) {
        var result = JSON.createObjectNode();
        result.put("documentId", documentId);
        result.put("chunkId", chunkId);
        result.put("title", title);
        result.put("heading", title);
        result.put("snippet", snippet);
        result.put("text", text);
        if (source != null) {
            result.put("source", source);
        }
        result.put("score", 0.031);
        result.put("similarity", similarity);
        result.set("tags", JSON.valueToTree(TAGS));
        result.put("botId", BOT);
        result.put("ordinal", 0);
        return result;
    }

    private static ObjectNode problem(String code) {
        var problem = JSON.createObjectNode();
        problem.put("status", 400);
        problem.put("code", code);
        return problem;
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
