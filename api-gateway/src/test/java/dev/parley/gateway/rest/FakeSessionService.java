package dev.parley.gateway.rest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.parley.testsupport.ParleyTestResources;

/**
 * Stands in for session-service's internal API, so the gateway's part (authorisation, tenant from the credential,
 * forwarding, problem mapping, streaming) is tested on its own. It records the requests it gets.
 */
public class FakeSessionService extends ParleyTestResources {

    public static final String TENANT = "tenant-gw";
    public static final String ADMIN_KEY = "pk_test_gateway_admin_key_0123456789";
    public static final int CHUNK = 256 * 1024;

    static final CopyOnWriteArrayList<String> requests = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch releaseSecondHalf = new CountDownLatch(1);
    static final AtomicBoolean secondHalfSent = new AtomicBoolean();
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
        server.createContext("/internal/", FakeSessionService::handle);
        server.start();
        config.put("quarkus.rest-client.users.url", "http://127.0.0.1:" + server.getAddress().getPort());
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
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query)
                + (body.isEmpty() ? "" : " " + body));
        String tenantPrefix = "/internal/tenants/" + TENANT;
        if (path.contains("/users/ghost")) {
            json(exchange, 404, "application/problem+json",
                    "{\"type\":\"https://parley.dev/problems/user_not_found\",\"title\":\"User not found\",\"status\":404,\"detail\":\"No user ghost\",\"code\":\"user_not_found\"}");
        } else if (path.endsWith("/export") || path.startsWith(tenantPrefix + "/analytics/messages")) {
            stream(exchange, path.endsWith("/export") ? "application/json" : "application/x-ndjson");
        } else if (path.startsWith(tenantPrefix + "/users/") && exchange.getRequestMethod().equals("PUT")) {
            json(exchange, 201, "application/json", "{\"userId\":\"alice\",\"attributes\":" + attributes(body) + "}");
        } else if (path.startsWith(tenantPrefix + "/users/") && path.endsWith("/erasures")) {
            json(exchange, 202, "application/json",
                    "{\"erasureId\":\"e-1\",\"status\":\"in_progress\",\"services\":[{\"service\":\"session-service\",\"status\":\"confirmed\"}]}");
        } else if (path.startsWith(tenantPrefix + "/")) {
            json(exchange, 200, "application/json", "{\"path\":\"" + path + "\"}");
        } else {
            json(exchange, 404, "application/problem+json",
                    "{\"status\":404,\"code\":\"not_found\",\"detail\":\"wrong tenant\"}");
        }
    }

    private static String attributes(String body) {
        int start = body.indexOf("{", 1);
        return start < 0 ? "{}" : body.substring(start, body.lastIndexOf('}'));
    }

    /** Half the body, then nothing until the test has seen bytes arrive at the client, then the rest. */
    private static void stream(HttpExchange exchange, String type) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        try (var out = exchange.getResponseBody()) {
            byte[] half = "x".repeat(CHUNK).getBytes(StandardCharsets.UTF_8);
            out.write(half);
            out.flush();
            try {
                releaseSecondHalf.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            secondHalfSent.set(true);
            out.write(half);
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
