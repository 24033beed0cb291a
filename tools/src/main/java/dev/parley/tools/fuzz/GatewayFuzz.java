package dev.parley.tools.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends malformed and hostile requests at a running gateway and counts what must never happen: a 5xx, a read of
 * another tenant's data, and anything stored. Every request it sends is invalid by construction (bad JSON, huge
 * bodies, wrong types, injection strings, foreign ids, forged, expired or missing credentials), so a 2xx answer
 * to a request that writes is counted as a stored effect too.
 *
 * <pre>
 * java -cp "tools/target/classes:$(cat tools/target/classpath.txt)" dev.parley.tools.fuzz.GatewayFuzz \
 *     --url http://127.0.0.1:18080 --requests 5000 --api-key pk_... --other-api-key pk_...
 * </pre>
 * Both keys need the admin scope and must belong to two different tenants. Exits 1 when a count is not zero.
 */
public final class GatewayFuzz {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] HOSTILE = { "' OR '1'='1' --", "\"; DROP TABLE api_keys; --", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "../../../../etc/passwd", "%00", "\u0000", "\u202Eevil", "{{7*7}}",
            "\r\nX-Injected: yes", "admin' --", "*)(uid=*))(|(uid=*", "$(id)", "`id`", "\uD800", "☃".repeat(300),
            "A".repeat(5000), "9".repeat(400), "[]", "{}", "1e999999'" };

    /** What one request was and what it may return. */
    record Probe(String category, String method, String path, Map<String, String> headers, byte[] body,
            boolean writes, boolean foreign) {
    }

    /** The counts of a run. */
    public record Result(long requests, long serverErrors, long crossTenantReads, long storedEffects,
            long rateLimited, long closedWithoutAnswer, Map<String, Long> byStatus, Map<String, Long> byCategory,
            List<String> failures) {

        public boolean clean() {
            return serverErrors == 0 && crossTenantReads == 0 && storedEffects == 0;
        }
    }

    private final URI url;
    private final String apiKey;
    private final String otherKey;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // Tenant A's resources, which tenant B must never read.
    private String conversationId;
    private String sessionId;
    private String keyId;
    private String victimUser;

    public GatewayFuzz(URI url, String apiKey, String otherKey, long seed) {
        this.url = url;
        this.apiKey = apiKey;
        this.otherKey = otherKey;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        var options = new TreeMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (List.of(args).contains("--help")) {
            System.out.println("GatewayFuzz --url URL --requests N --api-key KEY --other-api-key KEY [--seed S] [--concurrency C]");
            return;
        }
        String key = options.getOrDefault("api-key", System.getenv("PARLEY_API_KEY"));
        String other = options.getOrDefault("other-api-key", System.getenv("PARLEY_OTHER_API_KEY"));
        if (key == null || other == null) {
            System.err.println("Need --api-key and --other-api-key (admin keys of two tenants)");
            System.exit(2);
        }
        var fuzz = new GatewayFuzz(URI.create(options.getOrDefault("url", "http://127.0.0.1:18080")), key, other,
                Long.parseLong(options.getOrDefault("seed", "1")));
        var result = fuzz.run(Integer.parseInt(options.getOrDefault("requests", "5000")),
                Integer.parseInt(options.getOrDefault("concurrency", "8")));
        print(result);
        System.exit(result.clean() ? 0 : 1);
    }

    public static void print(Result result) {
        System.out.printf("requests          %d%n", result.requests());
        System.out.printf("5xx               %d%n", result.serverErrors());
        System.out.printf("cross-tenant reads %d%n", result.crossTenantReads());
        System.out.printf("stored effects    %d%n", result.storedEffects());
        System.out.printf("429 (rate limited) %d%n", result.rateLimited());
        System.out.printf("closed unanswered %d%n", result.closedWithoutAnswer());
        System.out.printf("by status         %s%n", result.byStatus());
        System.out.printf("by category       %s%n", result.byCategory());
        result.failures().stream().limit(20).map(f -> f.length() > 400 ? f.substring(0, 400) + "…" : f)
                .forEach(f -> System.out.println("FAIL " + f));
    }

    public Result run(int requests, int concurrency) throws Exception {
        prepare();
        var before = snapshot();
        var probes = new ArrayList<Probe>(requests);
        for (int i = 0; i < requests; i++) {
            probes.add(next());
        }
        var serverErrors = new LongAdder();
        var crossReads = new LongAdder();
        var stored = new LongAdder();
        var limited = new LongAdder();
        var closed = new LongAdder();
        var byStatus = new ConcurrentHashMap<String, AtomicLong>();
        var byCategory = new ConcurrentHashMap<String, AtomicLong>();
        var failures = java.util.Collections.synchronizedList(new ArrayList<String>());
        try (var pool = Executors.newFixedThreadPool(concurrency)) {
            for (var probe : probes) {
                pool.submit(() -> {
                    int status;
                    String body;
                    try {
                        if (probe.category().equals("raw")) {
                            var raw = raw(probe.body());
                            status = raw.status;
                            body = raw.body;
                        } else {
                            var response = send(probe);
                            status = response.statusCode();
                            body = response.body();
                        }
                    } catch (IOException | InterruptedException e) {
                        status = -1;
                        body = e.toString();
                    }
                    byStatus.computeIfAbsent(Integer.toString(status), s -> new AtomicLong()).incrementAndGet();
                    byCategory.computeIfAbsent(probe.category(), s -> new AtomicLong()).incrementAndGet();
                    if (status == -1) {
                        // The HTTP layer dropped the connection instead of answering (an oversized URI or a body
                        // still being sent after a 413): a refusal, not a server error; counted on its own.
                        closed.increment();
                    } else if (status >= 500) {
                        serverErrors.increment();
                        failures.add(status + " " + probe.method() + " " + abbreviate(probe.path()) + " [" + probe.category() + "] " + abbreviate(body));
                    }
                    if (status == 429) {
                        limited.increment();
                    }
                    if (probe.foreign() && ((status >= 200 && status < 300) || leaks(probe, body))) {
                        crossReads.increment();
                        failures.add("cross-tenant " + status + " " + probe.method() + " " + probe.path() + " " + abbreviate(body));
                    }
                    if (probe.writes() && status >= 200 && status < 300) {
                        stored.increment();
                        failures.add("stored " + status + " " + probe.method() + " " + probe.path() + " [" + probe.category() + "]");
                    }
                });
            }
        }
        var after = snapshot();
        if (!before.equals(after)) {
            stored.increment();
            failures.add("state changed: before " + before + ", after " + after);
        }
        var statuses = new TreeMap<String, Long>();
        byStatus.forEach((k, v) -> statuses.put(k, v.get()));
        var categories = new TreeMap<String, Long>();
        byCategory.forEach((k, v) -> categories.put(k, v.get()));
        return new Result(requests, serverErrors.sum(), crossReads.sum(), stored.sum(), limited.sum(), closed.sum(),
                statuses, categories, List.copyOf(failures));
    }

    /** Whether an answer holds tenant A's data that the request did not itself carry (echoing a sent id is fine). */
    private boolean leaks(Probe probe, String body) {
        if (body == null) {
            return false;
        }
        String sent = probe.path() + (probe.body() == null ? "" : new String(probe.body(), StandardCharsets.ISO_8859_1));
        for (String data : List.of(victimUser, sessionId, conversationId, keyId)) {
            if (body.contains(data) && !sent.contains(data)) {
                return true;
            }
        }
        return false;
    }

    /** Tenant A's conversation, session and key: what B's requests aim at. */
    private void prepare() throws IOException, InterruptedException {
        victimUser = "fuzz-victim-" + UUID.randomUUID().toString().substring(0, 8);
        var session = JSON.readTree(ok(post(apiKey, "/v1/sessions", "{\"userId\":\"" + victimUser + "\"}")));
        conversationId = session.path("conversationId").asText();
        sessionId = session.path("sessionId").asText();
        var key = JSON.readTree(ok(post(apiKey, "/v1/api-keys", "{\"name\":\"fuzz-target\",\"scopes\":[\"conversations:read\"]}")));
        keyId = key.path("apiKey").path("id").asText();
    }

    /** What must not change: both tenants' keys, and A's conversation. */
    private Map<String, Object> snapshot() throws IOException, InterruptedException {
        var state = new TreeMap<String, Object>();
        state.put("keysA", JSON.readTree(ok(get(apiKey, "/v1/api-keys"))).path("items").size());
        state.put("keysB", JSON.readTree(ok(get(otherKey, "/v1/api-keys"))).path("items").size());
        JsonNode conversation = JSON.readTree(ok(get(apiKey, "/v1/conversations/" + conversationId)));
        state.put("messagesA", conversation.path("messageCount").asInt());
        state.put("revokedA", JSON.readTree(ok(get(apiKey, "/v1/api-keys/" + keyId))).path("status").asText());
        return state;
    }

    private Probe next() {
        int pick = random.nextInt(100);
        if (pick < 15) {
            return malformedJson();
        } else if (pick < 22) {
            return hugeBody();
        } else if (pick < 37) {
            return wrongTypes();
        } else if (pick < 55) {
            return injection();
        } else if (pick < 72) {
            return foreignIds();
        } else if (pick < 87) {
            return badCredentials();
        } else if (pick < 95) {
            return wrongShape();
        }
        return rawRequest();
    }

    private Probe malformedJson() {
        String[] bodies = { "{", "{\"userId\":", "{\"userId\": \"a\",}", "[1,2", "{\"text\": \"unterminated}",
                "nul", "{'single': 'quotes'}", "{\"a\":1}{\"b\":2}", "\uFEFF{\"userId\":", "{\"userId\":\"x\" \"botId\":1}",
                "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "{,}", "]",
                "{\"sessionId\":\"" + sessionId + "\",\"text\":\"hi\",\"metadata\":" + "{\"x\":".repeat(2000) + "1" + "}".repeat(2000) + "}" };
        String body = bodies[random.nextInt(bodies.length)];
        return write("malformed-json", writablePath(), body, apiKey, false);
    }

    private Probe hugeBody() {
        int size = random.nextBoolean() ? 70_000 : 1_500_000;
        String body = "{\"userId\":\"" + "x".repeat(size) + "\"}";
        return write("huge-body", writablePath(), body, apiKey, false);
    }

    private Probe wrongTypes() {
        String[] bodies = { "{\"userId\":123}", "{\"userId\":true}", "{\"userId\":[\"a\"]}", "{\"userId\":{\"$ne\":null}}",
                "{\"sessionId\":42,\"text\":\"x\"}", "{\"sessionId\":\"" + sessionId + "\",\"text\":[1]}",
                "{\"sessionId\":\"" + sessionId + "\",\"text\":\"x\",\"metadata\":\"notamap\"}", "{\"name\":1,\"scopes\":\"admin\"}",
                "{\"name\":\"n\",\"scopes\":[1,2]}", "{\"name\":\"n\",\"scopes\":[\"admin\"],\"expiresAt\":\"yesterday\"}",
                "{\"conversationId\":12}", "{\"gracePeriodSeconds\":\"long\"}", "{\"gracePeriodSeconds\":1e30}", "[]", "\"string\"", "42",
                "{\"userId\":\"a\",\"unknownField\":1}" };
        return write("wrong-types", writablePath(), bodies[random.nextInt(bodies.length)], apiKey, false);
    }

    private Probe injection() {
        String hostile = HOSTILE[random.nextInt(HOSTILE.length)];
        String quoted = quote(hostile);
        return switch (random.nextInt(6)) {
            case 0 -> write("injection", "/v1/sessions", "{\"userId\":" + quoted + "}", apiKey, false);
            case 1 -> write("injection", "/v1/sessions", "{\"userId\":\"u\",\"botId\":" + quoted + "}", apiKey, false);
            case 2 -> write("injection", "/v1/messages", "{\"sessionId\":" + quoted + ",\"text\":" + quoted + "}", apiKey, false);
            case 3 -> read("injection", "/v1/conversations/" + encode(hostile) + "/messages?before=" + encode(hostile)
                    + "&limit=" + encode(hostile), apiKey, false);
            case 4 -> write("injection", "/v1/api-keys", "{\"name\":\"n\",\"scopes\":[" + quoted + "]}", apiKey, false);
            default -> read("injection", "/v1/api-keys/" + encode(hostile), apiKey, false);
        };
    }

    private Probe foreignIds() {
        return switch (random.nextInt(10)) {
            case 0 -> read("foreign-ids", "/v1/conversations/" + conversationId, otherKey, true);
            case 1 -> read("foreign-ids", "/v1/conversations/" + conversationId + "/messages?limit=200", otherKey, true);
            case 2 -> write("foreign-ids", "/v1/messages", "{\"sessionId\":\"" + sessionId + "\",\"text\":\"hi\"}", otherKey, true);
            case 3 -> write("foreign-ids", "/v1/sessions", "{\"userId\":\"" + victimUser + "\",\"conversationId\":\"" + conversationId + "\"}", otherKey, true);
            case 4 -> read("foreign-ids", "/v1/api-keys/" + keyId, otherKey, true);
            case 5 -> write("foreign-ids", "/v1/api-keys/" + keyId + "/rotate", "{}", otherKey, true);
            case 6 -> new Probe("foreign-ids", "DELETE", "/v1/api-keys/" + keyId, auth(otherKey), null, true, true);
            case 7 -> write("foreign-ids", "/v1/client-tokens", "{\"conversationId\":\"" + conversationId + "\"}", otherKey, true);
            case 8 -> read("foreign-ids", "/v1/conversations/" + conversationId + "/events", otherKey, true);
            default -> read("foreign-ids", "/v1/conversations/" + UUID.randomUUID(), apiKey, false);
        };
    }

    private Probe badCredentials() {
        String expiredJwt = "pct_" + b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}") + "." + b64("{\"iss\":\"parley\",\"tid\":\"t\",\"cid\":\""
                + conversationId + "\",\"exp\":1}") + "." + b64("sig");
        String noneJwt = "pct_" + b64("{\"alg\":\"none\"}") + "." + b64("{\"iss\":\"parley\",\"tid\":\"t\",\"cid\":\""
                + conversationId + "\",\"exp\":9999999999}") + ".";
        String oidcLike = b64("{\"alg\":\"none\"}") + "." + b64("{\"iss\":\"https://evil\",\"scope\":\"admin\"}") + ".";
        String[] tokens = { null, "", "pk_", "pk_live_" + "0".repeat(43), apiKey.substring(0, apiKey.length() - 1) + "x",
                "pk_" + "x".repeat(5000), expiredJwt, noneJwt, oidcLike, "pct_", "pct_a.b.c", "Basic YWRtaW46YWRtaW4=" };
        String token = tokens[random.nextInt(tokens.length)];
        var headers = new TreeMap<String, String>();
        if (token != null) {
            headers.put("Authorization", token.startsWith("Basic") ? token : "Bearer " + token);
        }
        headers.put("Content-Type", "application/json");
        boolean post = random.nextBoolean();
        String path = post ? writablePath() : "/v1/conversations/" + conversationId;
        String body = post ? "{\"userId\":\"" + victimUser + "\",\"conversationId\":\"" + conversationId + "\"}" : null;
        return new Probe("bad-credentials", post ? "POST" : "GET", path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), post, true);
    }

    private Probe wrongShape() {
        var headers = auth(apiKey);
        return switch (random.nextInt(6)) {
            case 0 -> new Probe("wrong-shape", "PUT", "/v1/messages", withType(headers, "application/json"), "{}".getBytes(), true, false);
            case 1 -> new Probe("wrong-shape", "POST", "/v1/sessions", withType(headers, "text/plain"), "userId=x".getBytes(), true, false);
            case 2 -> new Probe("wrong-shape", "POST", "/v1/sessions", withType(headers, "application/xml"), "<userId>x</userId>".getBytes(), true, false);
            case 3 -> new Probe("wrong-shape", "PATCH", "/v1/api-keys/" + keyId, withType(headers, "application/json"), "{}".getBytes(), true, false);
            case 4 -> {
                var h = withType(headers, "application/json");
                h.put("Idempotency-Key", random.nextBoolean() ? "k".repeat(1000) : "\u00e9t\u00e9");
                yield new Probe("wrong-shape", "POST", "/v1/sessions", h, "{\"userId\":".getBytes(), true, false);
            }
            default -> {
                var h = withType(headers, "application/json");
                h.put("X-Request-Id", "<script>" + "x".repeat(500));
                yield new Probe("wrong-shape", "GET", "/v1/conversations/%2e%2e%2f%2e%2e%2fetc%2fpasswd", h, null, false, false);
            }
        };
    }

    private Probe rawRequest() {
        String[] requests = {
                "GET /v1/conversations/" + conversationId + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + otherKey + "\r\nConnection: close\r\n\r\n",
                "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + apiKey + "\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{\"use",
                "GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v1/conversations/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + apiKey + "\r\nConnection: close\r\n\r\n",
                "POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + apiKey + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"ses\r\n0\r\n\r\n",
                "GET /v1/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\u0000" + apiKey + "\r\nConnection: close\r\n\r\n" };
        String raw = requests[random.nextInt(requests.length)];
        return new Probe("raw", "RAW", raw.substring(0, raw.indexOf(' ', 5)), Map.of(),
                raw.getBytes(StandardCharsets.ISO_8859_1), true, raw.contains(otherKey));
    }

    private record RawResponse(int status, String body) {
    }

    private RawResponse raw(byte[] request) throws IOException {
        try (var socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (response.isEmpty()) {
                return new RawResponse(400, "(connection closed)"); // refused at the HTTP layer
            }
            String[] statusLine = response.split(" ", 3);
            return new RawResponse(Integer.parseInt(statusLine[1]), response);
        }
    }

    private String writablePath() {
        String[] paths = { "/v1/sessions", "/v1/messages", "/v1/api-keys", "/v1/client-tokens", "/v1/api-keys/" + keyId + "/rotate" };
        return paths[random.nextInt(paths.length)];
    }

    private Probe write(String category, String path, String body, String key, boolean foreign) {
        return new Probe(category, "POST", path, withType(auth(key), "application/json"), body.getBytes(StandardCharsets.UTF_8),
                true, foreign);
    }

    private Probe read(String category, String path, String key, boolean foreign) {
        return new Probe(category, "GET", path, auth(key), null, false, foreign);
    }

    private static Map<String, String> auth(String key) {
        var headers = new TreeMap<String, String>();
        headers.put("Authorization", "Bearer " + key);
        return headers;
    }

    private static Map<String, String> withType(Map<String, String> headers, String type) {
        var copy = new TreeMap<>(headers);
        copy.put("Content-Type", type);
        return copy;
    }

    private HttpResponse<String> send(Probe probe) throws IOException, InterruptedException {
        URI target;
        try {
            target = URI.create(url + probe.path());
        } catch (IllegalArgumentException unencodable) {
            target = URI.create(url + "/v1/conversations/" + encode(probe.path()));
        }
        var builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30));
        for (var header : probe.headers().entrySet()) {
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException refusedByClient) {
                builder.header(header.getKey(), encode(header.getValue()));
            }
        }
        builder.method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(probe.body()));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String key, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String key, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String ok(HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String b64(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
