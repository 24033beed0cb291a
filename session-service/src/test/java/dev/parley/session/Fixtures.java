package dev.parley.session;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.parley.common.Topics;
import dev.parley.common.events.BotMessage;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.common.events.Intent;
import dev.parley.testsupport.KafkaBroker;
import io.restassured.path.json.JsonPath;

/** What the other services do to session-service in a turn, done by hand: sessions by REST, turns by Kafka. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static KafkaProducer<String, String> producer;

    private Fixtures() {
    }

    static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            var props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    static JsonPath openSession(String tenant, String user, String conversationId) {
        var body = new HashMap<String, Object>();
        body.put("userId", user);
        body.put("botId", "bot-1");
        if (conversationId != null) {
            body.put("conversationId", conversationId);
        }
        return given().contentType("application/json").body(body).post("/internal/tenants/" + tenant + "/sessions")
                .then().statusCode(201).extract().jsonPath();
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Publishes a user message as the gateway does; returns its id. */
    static String userMessage(JsonPath session, String tenant, String text, Map<String, Object> attributes) {
        String id = UUID.randomUUID().toString();
        var message = new InboundMessage(id, tenant, "bot-1", session.getString("conversationId"),
                session.getString("sessionId"), session.getString("userId"), text, null, attributes, now());
        send(Topics.MESSAGES_INBOUND, message.conversationId(), message);
        return id;
    }

    /** Publishes the bot's reply to a user message as dialogue-service does. */
    static void reply(JsonPath session, String tenant, String inReplyTo, Instant turnAt, String intent) {
        var reply = new BotReply(inReplyTo, tenant, "bot-1", session.getString("conversationId"),
                session.getString("sessionId"), session.getString("userId"), turnAt,
                List.of(new BotMessage(UUID.randomUUID().toString(), "answer to " + inReplyTo)),
                new Intent(intent, 0.9), List.of(), List.of(), Map.of(), now());
        send(Topics.REPLIES, reply.conversationId(), reply);
    }

    static void send(String topic, String key, Object value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, JSON.writeValueAsString(value))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until session-service has stored everything published so far on the partitions of the given
     * conversations, both topics: a sentinel message and reply of a conversation of their own are published
     * with each given conversation's record key (so on its partition, after everything sent before) and awaited.
     */
    static void awaitProcessed(String tenant, List<String> conversationIds) {
        var sentinel = openSession(tenant, "sentinel-" + UUID.randomUUID(), null);
        for (String key : conversationIds) {
            var turnAt = now();
            String id = UUID.randomUUID().toString();
            send(Topics.MESSAGES_INBOUND, key, new InboundMessage(id, tenant, "bot-1",
                    sentinel.getString("conversationId"), sentinel.getString("sessionId"),
                    sentinel.getString("userId"), "sentinel", null, null, turnAt));
            var reply = new BotReply(id, tenant, "bot-1", sentinel.getString("conversationId"),
                    sentinel.getString("sessionId"), sentinel.getString("userId"), turnAt,
                    List.of(new BotMessage(UUID.randomUUID().toString(), "sentinel reply")), null, List.of(),
                    List.of(), Map.of(), now());
            send(Topics.REPLIES, key, reply);
        }
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> given()
                .get("/internal/tenants/" + tenant + "/conversations/" + sentinel.getString("conversationId"))
                .then().body("conversation.messageCount", org.hamcrest.Matchers.equalTo(2 * conversationIds.size())));
    }

    /** Reads a topic from the start, for events. */
    static final class Events implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

        Events(String topic) {
            var props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            consumer.subscribe(List.of(topic));
        }

        static String header(ConsumerRecord<String, String> record, String name) {
            var header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** Waits for a record of the given CloudEvents type whose JSON body satisfies the check. */
        JsonPath await(String type, java.util.function.Predicate<JsonPath> check) {
            var found = new JsonPath[1];
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                for (var record : seen) {
                    if (type.equals(header(record, "ce_type"))) {
                        var body = JsonPath.from(record.value());
                        if (check.test(body)) {
                            found[0] = body;
                            return true;
                        }
                    }
                }
                return false;
            });
            return found[0];
        }

        List<ConsumerRecord<String, String>> drain(Duration wait) {
            long until = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            return seen;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
