package dev.parley.dialogue.llm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that plays a provider: records every request (method, path, query, headers, JSON body) and
 * answers with scripted replies, in order; the last reply repeats. A reply may be a plain body, a stream of SSE
 * frames written one by one (flushed, as a provider does), a delay, or a stream cut short.
 */
public final class WireServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    public record Reply(int status, String contentType, List<String> frames, long delayMillis, boolean cut) {
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", List.of(body), 0, false);
        }

        public static Reply sse(String... frames) {
            return new Reply(200, "text/event-stream", List.of(frames), 0, false);
        }

        /** SSE frames, then the connection closes without the protocol's end. */
        public static Reply cutSse(String... frames) {
            return new Reply(200, "text/event-stream", List.of(frames), 0, true);
        }

        public Reply delayed(long millis) {
            return new Reply(status, contentType, frames, millis, cut);
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private volatile Reply last;

    public WireServer(Reply... replies) throws IOException {
        script.addAll(List.of(replies));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "wire-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl(String versionPath) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + versionPath;
    }

    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    public Recorded lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the server received no request");
        }
        return requests.get(requests.size() - 1);
    }

    public void then(Reply... replies) {
        script.addAll(List.of(replies));
    }

    private void handle(HttpExchange exchange) throws IOException {
        var headers = new TreeMap<String, String>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                String.join(",", values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body));
        Reply reply = script.pollFirst();
        if (reply == null) {
            reply = last;
        } else {
            last = reply;
        }
        try (exchange) {
            if (reply == null) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            boolean stream = reply.contentType().startsWith("text/event-stream");
            byte[] whole = String.join("", reply.frames()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), stream ? 0 : whole.length);
            OutputStream out = exchange.getResponseBody();
            if (!stream) {
                out.write(whole);
                return;
            }
            for (String frame : reply.frames()) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client gave up (timeout test): nothing to answer
        }
    }

    /** An SSE frame: {@code event:} line when named, one {@code data:} line, blank line. */
    public static String frame(String event, String data) {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
