package dev.parley.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.parley.testsupport.KafkaBroker;
import dev.parley.testsupport.Postgres;

/**
 * The gateway, session-service, dialogue-service, knowledge-service and webhook-service as they ship (their packaged
 * jars, each in its own JVM), on a real Kafka broker and a real PostgreSQL that live in this test JVM. One stack for
 * all tests of the JVM.
 */
public final class Stack {

    public static final String TENANT = "acme";
    public static final String OTHER_TENANT = "globex";
    public static final String BOT = "banking-demo";
    static final String PEPPER = "e2e-pepper";

    private static Stack instance;

    public final String apiKey = "pk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    public final String gatewayUrl;
    final Map<String, Service> services = new HashMap<>();
    private final String kafka;
    private final Path logs;

    /** A running service process and how to start it again. */
    public final class Service {
        final String name;
        final String module;
        final int port;
        final Map<String, String> env;
        Process process;

        Service(String name, int port, Map<String, String> env) {
            this(name, name, port, env);
        }

        Service(String name, String module, int port, Map<String, String> env) {
            this.name = name;
            this.module = module;
            this.port = port;
            this.env = env;
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public synchronized void start() throws IOException, InterruptedException {
            Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (mvn install)");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            var builder = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
            builder.environment().putAll(env);
            process = builder.start();
            awaitReady();
        }

        /** Kills the process at once (SIGKILL): no shutdown hook, no graceful close of consumers. */
        public synchronized void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void stop() {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void awaitReady() throws InterruptedException {
            var client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logs.resolve(name + ".log"));
                }
                try {
                    var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + " was not ready within 90 s; see " + logs.resolve(name + ".log"));
        }
    }

    public static synchronized Stack get() {
        if (instance == null) {
            try {
                instance = new Stack();
                // Registered first: a stack that fails half-way must not leave the services it started running.
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stopAll, "e2e-stack-stop"));
                instance.startAll();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the stack", e);
            }
        }
        return instance;
    }

    private Stack() throws IOException {
        kafka = KafkaBroker.bootstrapServers();
        // PostgreSQL takes its port now, so the free ports picked below for the services cannot collide with it.
        Postgres.jdbcUrl("e2e_gateway");
        logs = root().resolve("e2e-tests/target/service-logs");
        Files.createDirectories(logs);
        int gatewayPort = freePort();
        int sessionPort = freePort();
        int dialoguePort = freePort();
        int knowledgePort = freePort();
        gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        var common = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "PARLEY_SESSION_URL", "http://127.0.0.1:" + sessionPort,
                "PARLEY_DIALOGUE_URL", "http://127.0.0.1:" + dialoguePort,
                "PARLEY_KNOWLEDGE_URL", "http://127.0.0.1:" + knowledgePort,
                "QUARKUS_LOG_CONSOLE_COLOR", "false");
        services.put("session-service", new Service("session-service", sessionPort,
                env(common, sessionPort, "e2e_session", Map.of("PARLEY_SESSION_OUTBOX_SWEEP_EVERY", "1s",
                        "PARLEY_SESSION_OUTBOX_SWEEP_AFTER", "PT2S"))));
        services.put("knowledge-service", new Service("knowledge-service", knowledgePort,
                env(common, knowledgePort, "e2e_knowledge", Map.of())));
        services.put("dialogue-service", new Service("dialogue-service", dialoguePort,
                env(common, dialoguePort, "e2e_dialogue", Map.of("PARLEY_DIALOGUE_DEMO_BOT_TENANT", TENANT))));
        services.put("api-gateway", new Service("api-gateway", gatewayPort,
                env(common, gatewayPort, "e2e_gateway", Map.of("PARLEY_BOOTSTRAP_TENANT", TENANT,
                        "PARLEY_BOOTSTRAP_API_KEY", apiKey, "PARLEY_BOOTSTRAP_BOT", BOT,
                        "PARLEY_GATEWAY_KEY_PEPPER", PEPPER, "PARLEY_GATEWAY_REPLY_WAIT_MILLIS", "5000",
                        "PARLEY_SECURITY_RATE_LIMIT_PER_KEY_CAPACITY", "100000",
                        "PARLEY_SECURITY_RATE_LIMIT_PER_TENANT_CAPACITY", "100000"))));
        // webhook-service: receivers in tests listen on loopback, which production refuses; retries come quickly.
        int webhookPort = freePort();
        services.put("webhook-service", new Service("webhook-service", webhookPort,
                env(common, webhookPort, "e2e_webhook", Map.of("PARLEY_WEBHOOK_SSRF_ALLOWED_NETWORKS", "127.0.0.0/8",
                        "PARLEY_WEBHOOK_RETRY_SCHEDULE", "0s,1s,2s,5s,10s,30s"))));
        services.get("api-gateway").env.put("PARLEY_WEBHOOK_URL", "http://127.0.0.1:" + webhookPort);
    }

    private static Map<String, String> env(Map<String, String> common, int port, String database,
            Map<String, String> own) {
        var env = new HashMap<>(common);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", Postgres.jdbcUrl(database));
        env.putAll(own);
        return env;
    }

    private void startAll() throws IOException, InterruptedException {
        service("session-service").start();
        service("knowledge-service").start();
        service("dialogue-service").start();
        service("webhook-service").start();
        service("api-gateway").start();
    }

    private void stopAll() {
        services.values().forEach(Service::stop);
    }

    public Service service(String name) {
        return services.get(name);
    }

    /**
     * A second gateway replica beside the first (same configuration, port of its own), started on first use and
     * stopped with the stack.
     */
    public synchronized Service secondGateway() throws IOException, InterruptedException {
        var second = services.get("api-gateway-2");
        if (second == null) {
            int port = freePort();
            var env = new HashMap<>(services.get("api-gateway").env);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            second = new Service("api-gateway-2", "api-gateway", port, env);
            services.put(second.name, second);
            second.start();
        }
        return second;
    }

    /** Adds a second tenant with its own key straight into the gateway's database; returns the key. */
    public String createTenant(String tenantId) throws Exception {
        String key = "pk_" + tenantId + "_" + UUID.randomUUID().toString().replace("-", "");
        try (var connection = java.sql.DriverManager.getConnection(Postgres.jdbcUrl("e2e_gateway"), "postgres", "postgres")) {
            try (var tenant = connection.prepareStatement(
                    "INSERT INTO tenants (id, name, default_bot_id, created_at) VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING")) {
                tenant.setString(1, tenantId);
                tenant.setString(2, tenantId);
                tenant.setString(3, BOT);
                tenant.executeUpdate();
            }
            try (var insert = connection.prepareStatement("""
                    INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes, created_at)
                    VALUES (?, ?, 'e2e', ?, ?, ARRAY['admin'], now())""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, tenantId);
                insert.setString(3, key.substring(0, 9));
                insert.setString(4, hmac(key));
                insert.executeUpdate();
            }
        }
        return key;
    }

    static String hmac(String key) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(PEPPER.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    }

    static Path root() {
        return Path.of(System.getProperty("parley.root", "..")).toAbsolutePath().normalize();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
