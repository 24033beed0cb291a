package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.parley.testsupport.KafkaBroker;
import io.restassured.RestAssured;

/**
 * Kills webhook-service (SIGKILL) in the middle of a stream of events, restarts it, and proves that every event
 * reaches the subscribed endpoint at least once: offsets are committed only after the deliveries are in PostgreSQL,
 * and deliveries claimed by the dead process come back when their lease runs out.
 */
class WebhookServiceCrashIT {

    static final int EVENTS = 600;
    static final Pattern SEQUENCE = Pattern.compile("\"seq\":(\\d+)");

    @Test
    void everyEventIsDeliveredAtLeastOnceAcrossACrash() throws Exception {
        var stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
        var received = ConcurrentHashMap.<Integer> newKeySet();
        var requests = new AtomicInteger();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var matcher = SEQUENCE.matcher(body);
            if (matcher.find()) {
                received.add(Integer.parseInt(matcher.group(1)));
            }
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String type = "chaos.tick";
        try (var producer = producer()) {
            String id = given().header("Authorization", "Bearer " + stack.apiKey).contentType("application/json")
                    .body(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                            "events", List.of("chaos.*")))
                    .post("/v1/webhooks").then().statusCode(201).extract().path("id");
            String run = UUID.randomUUID().toString();
            var webhook = stack.service("webhook-service");
            for (int seq = 0; seq < EVENTS; seq++) {
                send(producer, run + "-" + seq, type, "{\"seq\":" + seq + "}");
                if (seq == EVENTS / 3) {
                    // Wait until deliveries are flowing, then pull the plug mid-stream.
                    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() > 10);
                    webhook.kill();
                } else if (seq == EVENTS / 2) {
                    webhook.start();
                }
                Thread.sleep(10);
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> received.size() >= EVENTS);
            assertEquals(EVENTS, received.size());
            for (int seq = 0; seq < EVENTS; seq++) {
                assertTrue(received.contains(seq), "event " + seq + " was delivered");
            }
            System.out.printf("webhook crash test: %d events, %d requests (%d redelivered after the crash)%n", EVENTS,
                    requests.get(), requests.get() - EVENTS);
            given().header("Authorization", "Bearer " + stack.apiKey).get("/v1/webhooks/" + id + "/deliveries?status=failed")
                    .then().statusCode(200);
        } finally {
            server.stop(0);
        }
    }

    static KafkaProducer<String, String> producer() {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    static void send(KafkaProducer<String, String> producer, String id, String type, String data) throws Exception {
        String conversation = "chaos-" + (id.hashCode() & 7);
        var headers = new RecordHeaders();
        for (var header : Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", type, "ce_source", "/parley/e2e",
                "ce_time", Instant.now().toString(), "ce_tenantid", Stack.TENANT, "ce_conversationid", conversation)
                .entrySet()) {
            headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        producer.send(new ProducerRecord<>("parley.dialogue.events", null, conversation, data, headers)).get();
    }

}
