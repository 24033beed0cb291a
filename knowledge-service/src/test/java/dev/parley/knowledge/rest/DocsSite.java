package dev.parley.knowledge.rest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A small web site for URL-source tests: pages, sitemaps and redirects the test sets up. It listens on 127.0.0.2
 * (loopback, like all of 127.0.0.0/8), the one internal address the test configuration allows, so that 127.0.0.1 and
 * every other loopback address stay refused.
 */
final class DocsSite implements AutoCloseable {

    static final String ADDRESS = "127.0.0.2";

    record Page(int status, String contentType, byte[] body, String location) {
    }

    private final HttpServer server;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    /** Every request as "Host header + path", in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    DocsSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(ADDRESS, 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestHeaders().getFirst("Host") + path);
            Page page = pages.get(path);
            if (page == null) {
                page = new Page(404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8), null);
            }
            if (page.location() != null) {
                exchange.getResponseHeaders().add("Location", page.location());
            }
            exchange.getResponseHeaders().add("Content-Type", page.contentType());
            exchange.sendResponseHeaders(page.status(), page.body().length == 0 ? -1 : page.body().length);
            try (var out = exchange.getResponseBody()) {
                out.write(page.body());
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void page(String path, String contentType, byte[] body) {
        pages.put(path, new Page(200, contentType, body, null));
    }

    void page(String path, String contentType, String body) {
        page(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    void redirect(String path, String location) {
        pages.put(path, new Page(302, "text/plain", new byte[0], location));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
