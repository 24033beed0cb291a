package dev.parley.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.restassured.path.json.JsonPath;

/**
 * Sends {@code user.erased} commands as session-service does (binary-mode CloudEvent on {@code parley.user.erasures},
 * key {@code tenantId:userId}) and waits for the services' {@code erasure.confirmed} answers on
 * {@code parley.erasure.confirmations}. Open it before sending so no confirmation is missed.
 */
public final class ErasureCommands implements AutoCloseable {

    public static final String COMMANDS_TOPIC = "parley.user.erasures";
    public static final String CONFIRMATIONS_TOPIC = "parley.erasure.confirmations";

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> confirmations;
    private final List<JsonPath> seen = new ArrayList<>();

    public ErasureCommands() {
        var producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(producerProps);
        var consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "test-erasures-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        confirmations = new KafkaConsumer<>(consumerProps);
        confirmations.subscribe(List.of(CONFIRMATIONS_TOPIC));
    }

    /** Sends a new erasure command requested now; returns its erasure id. */
    public String erase(String tenantId, String userId) {
        String erasureId = UUID.randomUUID().toString();
        send(erasureId, tenantId, userId, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return erasureId;
    }

    /** Sends the command (again, for a redelivery) with the given id and tombstone time. */
    public void send(String erasureId, String tenantId, String userId, Instant requestedAt) {
        String body = "{\"erasureId\":" + quote(erasureId) + ",\"tenantId\":" + quote(tenantId) + ",\"userId\":"
                + quote(userId) + ",\"requestedAt\":" + quote(requestedAt.toString()) + "}";
        var headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", UUID.nameUUIDFromBytes(("user.erased:" + erasureId).getBytes(StandardCharsets.UTF_8))
                .toString());
        header(headers, "ce_type", "user.erased");
        header(headers, "ce_source", "/parley/session-service");
        header(headers, "ce_time", requestedAt.toString());
        header(headers, "ce_tenantid", tenantId);
        header(headers, "content-type", "application/json");
        try {
            producer.send(new ProducerRecord<>(COMMANDS_TOPIC, null, tenantId + ":" + userId, body, headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not send the erasure command", e);
        }
    }

    /** Waits for the service's confirmation of the erasure and returns its body. */
    public JsonPath awaitConfirmation(String erasureId, String service, Duration timeout) {
        return awaitConfirmations(erasureId, service, 1, timeout).get(0);
    }

    /** Waits until the service has confirmed the erasure at least {@code count} times; returns those bodies. */
    public List<JsonPath> awaitConfirmations(String erasureId, String service, int count, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            var matching = seen.stream().filter(c -> erasureId.equals(c.getString("erasureId"))
                    && service.equals(c.getString("service"))).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError(service + " confirmed erasure " + erasureId + " " + matching.size()
                        + " time(s) within " + timeout + ", expected " + count);
            }
            for (ConsumerRecord<String, String> record : confirmations.poll(Duration.ofMillis(200))) {
                var type = record.headers().lastHeader("ce_type");
                if (type != null && "erasure.confirmed".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                    seen.add(JsonPath.from(record.value()));
                }
            }
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String value) {
        var out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        confirmations.close(Duration.ofSeconds(5));
    }
}
