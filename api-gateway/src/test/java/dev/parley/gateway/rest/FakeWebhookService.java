package dev.parley.gateway.rest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.parley.testsupport.ParleyTestResources;

/**
 * Stands in for webhook-service's internal API: records each request (method, path, body) and answers with the
 * endpoint as the body described it, {@code ordering} defaulting to none, so the gateway's pass-through is tested
 * on its own.
 */
public class FakeWebhookService extends ParleyTestResources {

    public static final String TENANT = "tenant-webhooks";
    public static final String ADMIN_KEY = "pk_test_gateway_webhooks_admin_key_0123";

    static final CopyOnWriteArrayList<String> requests = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        var config = new HashMap<>(super.start());
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/internal/", FakeWebhookService::handle);
        server.start();
        config.put("quarkus.rest-client.webhook.url", "http://127.0.0.1:" + server.getAddress().getPort());
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

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + path + (body.isEmpty() ? "" : " " + body));
            ObjectNode answer = body.isEmpty() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
            if (!answer.has("ordering")) {
                answer.put("ordering", "none");
            }
            int status = 200;
            if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/webhooks")) {
                answer.put("id", "wh-1");
                answer.put("secret", "whsec_dGVzdA==");
                status = 201;
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
