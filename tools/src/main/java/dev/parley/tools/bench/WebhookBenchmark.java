package dev.parley.tools.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * Webhook delivery benchmark. Registers endpoints that point at a receiver inside this process, publishes events to
 * Kafka at a fixed rate (as session-service and dialogue-service would), and measures what the receiver gets:
 * deliveries per second and the latency from an event's intended publication time to its arrival at the endpoint
 * (so a stall counts in full, no coordinated omission).
 *
 * <pre>
 * java -cp tools/target/classes:$(cat tools/target/classpath.txt) dev.parley.tools.bench.WebhookBenchmark \
 *     --webhook-url http://127.0.0.1:18084 --kafka 127.0.0.1:29092 --rate 500 --endpoints 1 --duration 30s
 * </pre>
 *
 * webhook-service must allow loopback endpoints (the local stack does). Exit status 0 when every measured delivery
 * arrived, 1 otherwise, 2 for a bad command line.
 */
public final class WebhookBenchmark {

    static final String TOPIC = "parley.dialogue.events";
    /** Held so the level set on it is not lost when the logger is collected. */
    static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");
    static final String TYPE = "bench.delivery";

    record Options(String webhookUrl, String kafka, String tenant, int rate, int endpoints, Duration warmup,
            Duration duration, Duration drain) {

        static final String USAGE = """
                Usage: ./parley bench webhooks [--rate N] [--endpoints N] [--duration 30s] [--warmup 5s] [--drain 30s]
                                               [--webhook-url URL] [--kafka HOST:PORT] [--tenant ID]

                Publishes bench.delivery events to Kafka at a fixed rate for a tenant with N endpoints (each event goes
                to every endpoint) served by a receiver in this process, and prints deliveries/s and the latency from
                an event's publication to its arrival, p50/p95/p99/max.
                  --rate N         events per second (default 500)
                  --endpoints N    endpoints subscribed to every event (default 1): deliveries/s = rate x endpoints
                  --duration D     measured time (default 30s), after --warmup (default 5s)
                  --drain D        how long to wait for the last deliveries (default 30s)
                  --webhook-url    webhook-service's internal API (default http://127.0.0.1:18084)
                  --kafka          Kafka bootstrap servers (default 127.0.0.1:29092)
                  --tenant         tenant the endpoints belong to (default a new bench-... tenant)
                """;

        static Options parse(String[] args) {
            String webhookUrl = "http://127.0.0.1:18084";
            String kafka = "127.0.0.1:29092";
            String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            int rate = 500;
            int endpoints = 1;
            Duration warmup = Duration.ofSeconds(5);
            Duration duration = Duration.ofSeconds(30);
            Duration drain = Duration.ofSeconds(30);
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    throw new IllegalArgumentException(USAGE);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value\n" + USAGE);
                }
                String value = args[++i];
                switch (arg) {
                    case "--webhook-url" -> webhookUrl = value.replaceAll("/+$", "");
                    case "--kafka" -> kafka = value;
                    case "--tenant" -> tenant = value;
                    case "--rate" -> rate = positive(arg, value);
                    case "--endpoints" -> endpoints = positive(arg, value);
                    case "--warmup" -> warmup = duration(arg, value);
                    case "--duration" -> duration = duration(arg, value);
                    case "--drain" -> drain = duration(arg, value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            return new Options(webhookUrl, kafka, tenant, rate, endpoints, warmup, duration, drain);
        }

        static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(name + " must be a positive whole number, not '" + value + "'");
        }

        static Duration duration(String name, String value) {
            try {
                if (value.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                }
                if (value.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
                }
                if (value.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a duration such as 30s or 2m, not '" + value + "'");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        // The Kafka client logs every connection at INFO through java.util.logging; keep the report readable.
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new WebhookBenchmark().run(options, System.out) ? 0 : 1);
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    boolean run(Options o, PrintStream out) throws Exception {
        var latency = new LatencyHistogram();
        var measured = ConcurrentHashMap.<String> newKeySet();
        var duplicates = new AtomicLong();
        var firstMeasuredArrival = new AtomicLong(Long.MAX_VALUE);
        var lastMeasuredArrival = new AtomicLong();
        // One event loop: the receiver answers at once and records off the measured path, so it costs the machine
        // (shared with the services under test) little per request.
        var vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        var server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setTcpNoDelay(true).setIdleTimeout(0))
                .requestHandler(request -> request.body().onComplete(read -> {
                    long arrivedMicros = micros(Instant.now());
                    request.response().setStatusCode(204).end();
                    if (read.failed()) {
                        return;
                    }
                    try {
                        var data = json.readTree(read.result().getBytes()).path("data");
                        if (data.path("measured").asBoolean()) {
                            String key = request.path() + "#" + data.path("seq").asLong();
                            if (measured.add(key)) {
                                latency.record(arrivedMicros - data.path("sentAt").asLong());
                                long now = System.nanoTime();
                                firstMeasuredArrival.accumulateAndGet(now, Math::min);
                                lastMeasuredArrival.accumulateAndGet(now, Math::max);
                            } else {
                                duplicates.incrementAndGet();
                            }
                        }
                    } catch (java.io.IOException unreadable) {
                        // not one of ours
                    }
                }))
                .listen().toCompletionStage().toCompletableFuture().get();
        var ids = new ArrayList<String>();
        try (var producer = producer(o.kafka())) {
            for (int i = 0; i < o.endpoints(); i++) {
                String url = "http://127.0.0.1:" + server.actualPort() + "/hook/" + i;
                var response = post(o.webhookUrl() + "/internal/tenants/" + o.tenant() + "/webhooks",
                        json.writeValueAsString(java.util.Map.of("url", url, "events", List.of("bench.*"))));
                if (response.statusCode() != 201) {
                    out.println("Could not create an endpoint: HTTP " + response.statusCode() + " " + response.body());
                    return false;
                }
                ids.add(json.readTree(response.body()).path("id").asText());
            }
            out.printf("Webhook benchmark: %d events/s to %d endpoint(s) of tenant %s (%d deliveries/s), warm-up %s, "
                    + "measured %s%n", o.rate(), o.endpoints(), o.tenant(), o.rate() * o.endpoints(),
                    o.warmup().toSeconds() + "s", o.duration().toSeconds() + "s");
            long warmupEvents = o.warmup().toMillis() * o.rate() / 1000;
            long measuredEvents = o.duration().toMillis() * o.rate() / 1000;
            long total = warmupEvents + measuredEvents;
            long intervalNanos = 1_000_000_000L / o.rate();
            long startNanos = System.nanoTime();
            Instant startWall = Instant.now();
            String run = UUID.randomUUID().toString();
            for (long seq = 0; seq < total; seq++) {
                long intendedNanos = startNanos + seq * intervalNanos;
                long wait = intendedNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                // The intended time, not the actual one: a stalled sender does not hide latency.
                long sentAt = micros(startWall) + (seq * intervalNanos) / 1_000;
                boolean isMeasured = seq >= warmupEvents;
                String data = "{\"seq\":" + seq + ",\"sentAt\":" + sentAt + ",\"measured\":" + isMeasured + "}";
                send(producer, run + "-" + seq, o.tenant(), data);
                if (seq == warmupEvents) {
                    out.println("  warm-up done, measuring ...");
                }
            }
            producer.flush();
            long sendSeconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
            long expected = measuredEvents * o.endpoints();
            long drainUntil = System.nanoTime() + o.drain().toNanos();
            while (measured.size() < expected && System.nanoTime() < drainUntil) {
                Thread.sleep(100);
            }
            long received = measured.size();
            double windowSeconds = Math.max(1e-9, (lastMeasuredArrival.get() - firstMeasuredArrival.get()) / 1e9);
            var s = latency.summary();
            out.printf("  sent %d events in %d s%n", total, sendSeconds);
            out.printf("  deliveries: %d of %d measured arrived (%d duplicates)%n", received, expected, duplicates.get());
            out.printf("  throughput: %.0f deliveries/s%n", received / windowSeconds);
            out.printf("  event-to-delivery latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (mean %.1f ms)%n",
                    s.p50() / 1000.0, s.p95() / 1000.0, s.p99() / 1000.0, s.max() / 1000.0, s.mean() / 1000.0);
            return received == expected;
        } finally {
            for (String id : ids) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create(o.webhookUrl() + "/internal/tenants/" + o.tenant()
                            + "/webhooks/" + id)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception ignored) {
                    // best effort
                }
            }
            vertx.close();
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    private static void send(KafkaProducer<String, String> producer, String id, String tenant, String data) {
        String conversation = "bench-" + (id.hashCode() & 63);
        var headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", id);
        header(headers, "ce_type", TYPE);
        header(headers, "ce_source", "/parley/bench");
        header(headers, "ce_time", Instant.now().toString());
        header(headers, "ce_tenantid", tenant);
        header(headers, "ce_conversationid", conversation);
        producer.send(new ProducerRecord<>(TOPIC, null, conversation, data, headers));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
