package dev.parley.webhook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on 127.0.0.1 for tests: each path answers as its behaviour says and every request is recorded.
 */
public final class Receiver implements AutoCloseable {

    /** One request as the receiver saw it. */
    public record Request(String path, Map<String, List<String>> headers, String body, long receivedAtNanos) {

        public String header(String name) {
            var values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** How a path answers: status, extra headers and body. */
    public record Answer(int status, Map<String, String> headers, String body, long delayMillis) {

        public static Answer status(int status) {
            return new Answer(status, Map.of(), "", 0);
        }
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor;
    private final Map<String, java.util.function.BiFunction<Integer, String, Answer>> behaviours = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> mostOpen = new ConcurrentHashMap<>();

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        // Daemon threads: a request still hanging when the tests end must not keep the JVM alive.
        executor = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The answer to the n-th request (1-based) on this path; unknown paths answer 200. */
    public String on(String path, Function<Integer, Answer> behaviour) {
        behaviours.put(path, (n, body) -> behaviour.apply(n));
        return url(path);
    }

    /** The answer to a request on this path given the request's number (1-based) and its body. */
    public String onBody(String path, java.util.function.BiFunction<Integer, String, Answer> behaviour) {
        behaviours.put(path, behaviour);
        return url(path);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The most requests on this path that were open at the same time. */
    public int mostConcurrent(String path) {
        var most = mostOpen.get(path);
        return most == null ? 0 : most.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath();
        int now = open.computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        mostOpen.computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicInteger()).accumulateAndGet(now, Math::max);
        try {
            answer(exchange);
        } finally {
            open.get(key).decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        var headers = new TreeMap<String, List<String>>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        requests.add(new Request(path, headers, body, System.nanoTime()));
        int n = (int) requests.stream().filter(r -> r.path().equals(path)).count();
        Answer answer = behaviours.getOrDefault(path, (i, b) -> Answer.status(200)).apply(n, body);
        try {
            if (answer.delayMillis() > 0) {
                Thread.sleep(answer.delayMillis());
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // the sender timed out and closed the connection
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
