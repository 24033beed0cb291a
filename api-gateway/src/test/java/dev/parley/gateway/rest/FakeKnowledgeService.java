package dev.parley.gateway.rest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.parley.testsupport.ParleyTestResources;

/**
 * Stands in for knowledge-service's internal API (URL sources), so the gateway's part (scope, tenant from the
 * credential, validation, forwarding, problem mapping) is tested on its own. It records the requests it gets.
 */
public class FakeKnowledgeService extends ParleyTestResources {

    public static final String TENANT = "tenant-gw-knowledge";
    public static final String ADMIN_KEY = "pk_test_gateway_knowledge_admin_0123456789";

    static final CopyOnWriteArrayList<String> requests = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        var config = new HashMap<>(super.start());
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/internal/", FakeKnowledgeService::handle);
        server.start();
        config.put("quarkus.rest-client.knowledge.url", "http://127.0.0.1:" + server.getAddress().getPort());
        config.put("parley.bootstrap.tenant", TENANT);
        config.put("parley.bootstrap.api-key", ADMIN_KEY);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static final String SOURCE = """
            {"sourceId":"s-1","url":"https://help.example.com/sitemap.xml","kind":"sitemap","tags":["help"],
             "status":"crawled","documentCount":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z",
             "documents":[{"documentId":"d-1","title":"Cards","source":"https://help.example.com/cards","tags":["help"],
             "status":"failed","failureReason":"http_404: the server answered 404","version":1,"chunkCount":0,
             "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","sourceId":"s-1"}]}""";

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + path + (body.isEmpty() ? "" : " " + body));
        String sources = "/internal/tenants/" + TENANT + "/sources";
        if (path.equals(sources) && exchange.getRequestMethod().equals("POST") && body.contains("intranet.example")) {
            json(exchange, 400, "application/problem+json", """
                    {"type":"https://parley.dev/problems/validation_failed","title":"Request validation failed","status":400,\
                    "detail":"url: host intranet.example resolves to 10.1.2.3, an internal address","code":"validation_failed"}""");
        } else if (path.equals(sources) && exchange.getRequestMethod().equals("POST")) {
            json(exchange, 202, "application/json", SOURCE.replace("\"crawled\"", "\"pending\""));
        } else if (path.equals(sources + "/s-1") && exchange.getRequestMethod().equals("GET")) {
            json(exchange, 200, "application/json", SOURCE);
        } else {
            json(exchange, 404, "application/problem+json", """
                    {"type":"https://parley.dev/problems/source_not_found","title":"Knowledge URL source not found",\
                    "status":404,"detail":"No URL source","code":"source_not_found"}""");
        }
    }

    private static void json(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
