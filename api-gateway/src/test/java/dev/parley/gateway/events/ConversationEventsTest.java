package dev.parley.gateway.events;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.EventTypes;
import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.gateway.Tenants;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The conversation event stream against a real Kafka broker: live events of the conversation and no other, the
 * 404 of a conversation the caller cannot see, replay of missed messages from Last-Event-ID, and resync.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class ConversationEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, String> producer;

    @TestHTTPResource("/")
    URL base;
    @Inject
    KafkaClientService kafka;
    @Inject
    Tenants tenants;
    @Inject
    ConversationFeed feed;

    String reader;
    JsonPath alice;
    JsonPath bob;

    @BeforeEach
    void conversations() {
        reader = Keys.create(ADMIN, "conversations:write", "conversations:read").getString("key");
        alice = as(reader).body(Map.of("userId", "alice")).post("/v1/sessions").then().statusCode(201).extract().jsonPath();
        bob = as(reader).body(Map.of("userId", "bob")).post("/v1/sessions").then().statusCode(201).extract().jsonPath();
        // The feed starts reading at the newest offsets once it has its partitions: wait for them.
        for (String channel : List.of(Topics.CONVERSATION_EVENTS, Topics.DIALOGUE_EVENTS, Topics.DIALOGUE_STREAM)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.getConsumer(channel).getAssignments()
                    .await().atMost(Duration.ofSeconds(10)).isEmpty());
        }
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    private URI events(String conversationId) {
        return URI.create(base.toString().replaceAll("/$", "") + "/v1/conversations/" + conversationId + "/events");
    }

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            var properties = new Properties();
            properties.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            properties.put("linger.ms", "0");
            producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Publishes an event as the services do: a binary-mode CloudEvent keyed by conversation id. */
    private static void publish(String topic, String type, String conversationId, Map<String, Object> data)
            throws Exception {
        var record = new ProducerRecord<String, String>(topic, conversationId, JSON.writeValueAsString(data));
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .add("ce_type", type.getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "/parley/test".getBytes(StandardCharsets.UTF_8))
                .add("ce_tenantid", Keys.TENANT.getBytes(StandardCharsets.UTF_8))
                .add("ce_conversationid", conversationId.getBytes(StandardCharsets.UTF_8));
        producer().send(record).get();
    }

    private static Map<String, Object> message(String conversationId, String messageId, String text) {
        var data = new HashMap<String, Object>();
        data.put("tenantId", Keys.TENANT);
        data.put("conversationId", conversationId);
        data.put("messageId", messageId);
        data.put("text", text);
        data.put("receivedAt", Instant.now().toString());
        return data;
    }

    private static Map<String, Object> delta(String conversationId, String messageId, int index, String text,
            boolean last) {
        return Map.of("tenantId", Keys.TENANT, "conversationId", conversationId, "messageId", messageId, "index", index,
                "delta", text, "final", last);
    }

    private static JsonNode data(SseClient.Event event) throws Exception {
        return JSON.readTree(event.data());
    }

    private static String position(String messageId) {
        return new ResumePoint(messageId).encode();
    }

    @Test
    void streamsTheConversationsEventsAsTheyHappen() throws Exception {
        String mine = alice.getString("conversationId");
        String theirs = bob.getString("conversationId");
        try (var stream = SseClient.open(events(mine), reader, null)) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            var ready = stream.next();
            assertEquals("stream.ready", ready.type());
            assertEquals(0, data(ready).path("replayed").asInt());
            assertEquals(ResumePoint.START.encode(), ready.id());

            String userMessage = UUID.randomUUID().toString();
            String botMessage = UUID.randomUUID().toString();
            publish(Topics.CONVERSATION_EVENTS, EventTypes.MESSAGE_RECEIVED, theirs,
                    message(theirs, UUID.randomUUID().toString(), "not for alice"));
            publish(Topics.CONVERSATION_EVENTS, EventTypes.MESSAGE_RECEIVED, mine, message(mine, userMessage, "hi"));
            var received = stream.next();
            assertEquals("message.received", received.type());
            assertEquals(userMessage, data(received).path("messageId").asText());
            assertEquals("hi", data(received).path("text").asText());
            assertEquals(position(userMessage), received.id());

            publish(Topics.DIALOGUE_STREAM, EventTypes.MESSAGE_DELTA, mine, delta(mine, botMessage, 0, "Hel", false));
            var first = stream.next();
            assertEquals("message.delta", first.type());
            assertEquals(botMessage, data(first).path("messageId").asText());
            assertEquals("Hel", data(first).path("delta").asText());
            assertEquals(position(userMessage), first.id(), "a delta keeps the position of the last stored message");
            publish(Topics.DIALOGUE_STREAM, EventTypes.MESSAGE_DELTA, mine, delta(mine, botMessage, 1, "lo", true));
            var second = stream.next();
            assertEquals(1, data(second).path("index").asInt());
            assertTrue(data(second).path("final").asBoolean());

            var sent = message(mine, botMessage, "Hello");
            publish(Topics.CONVERSATION_EVENTS, EventTypes.MESSAGE_SENT, mine, sent);
            publish(Topics.CONVERSATION_EVENTS, EventTypes.MESSAGE_SENT, mine, sent); // delivered twice
            var reply = stream.next();
            assertEquals("message.sent", reply.type());
            assertEquals("Hello", data(reply).path("text").asText());
            assertEquals(position(botMessage), reply.id());

            publish(Topics.DIALOGUE_EVENTS, EventTypes.INTENT_DETECTED, mine,
                    Map.of("tenantId", Keys.TENANT, "conversationId", mine, "type", EventTypes.INTENT_DETECTED));
            publish(Topics.DIALOGUE_EVENTS, EventTypes.HANDOFF_REQUESTED, mine,
                    Map.of("tenantId", Keys.TENANT, "conversationId", mine, "type", EventTypes.HANDOFF_REQUESTED));
            var handoff = stream.next();
            assertEquals("handoff.requested", handoff.type(), "the duplicate and intent.detected are not streamed");
            publish(Topics.CONVERSATION_EVENTS, EventTypes.CONVERSATION_ENDED, mine,
                    Map.of("tenantId", Keys.TENANT, "conversationId", mine, "reason", "closed"));
            var ended = stream.next();
            assertEquals("conversation.ended", ended.type());
            assertEquals(position(botMessage), ended.id());
            assertNull(stream.poll(300), "nothing of another conversation");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscriberCount() == 0);
    }

    @Test
    void aConversationTheCallerCannotSeeIsNotFoundBeforeTheStreamStarts() throws Exception {
        String otherTenant = "events-" + UUID.randomUUID().toString().substring(0, 8);
        String otherAdmin = tenants.newTenantAdmin(otherTenant);
        String foreign = as(otherAdmin).body(Map.of("userId", "carol", "botId", "banking-demo")).post("/v1/sessions")
                .then().statusCode(201).extract().path("conversationId");
        for (String conversation : List.of(foreign, UUID.randomUUID().toString())) {
            try (var stream = SseClient.open(events(conversation), reader, null)) {
                assertEquals(404, stream.status());
                assertTrue(stream.contentType().startsWith("application/problem+json"), stream.contentType());
                assertEquals("conversation_not_found", JSON.readTree(stream.body()).path("code").asText());
            }
        }
        String token = as(reader).body(Map.of("conversationId", alice.getString("conversationId")))
                .post("/v1/client-tokens").then().statusCode(201).extract().path("token");
        try (var stream = SseClient.open(events(bob.getString("conversationId")), token, null)) {
            assertEquals(404, stream.status());
        }
        try (var stream = SseClient.open(events(alice.getString("conversationId")), token, null)) {
            assertEquals(200, stream.status());
            assertEquals("stream.ready", stream.next().type());
        }
        String writeOnly = Keys.secret(ADMIN, "conversations:write");
        try (var stream = SseClient.open(events(alice.getString("conversationId")), writeOnly, null)) {
            assertEquals(403, stream.status());
        }
    }

    @Test
    void aReconnectGetsTheMessagesItMissedThenLiveEvents() throws Exception {
        String conversation = alice.getString("conversationId");
        var transcript = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 4; i++) {
            transcript.add(Map.of("messageId", "m" + i, "role", i % 2 == 0 ? "user" : "bot", "text", "text " + i,
                    "createdAt", Instant.now().toString()));
        }
        FakeBackends.TRANSCRIPTS.put(Keys.TENANT + '/' + conversation, transcript);

        try (var stream = SseClient.open(events(conversation), reader, position("m1"))) {
            var user = stream.next();
            assertEquals("message.received", user.type());
            assertEquals("text 2", data(user).path("text").asText());
            assertEquals(position("m2"), user.id());
            var bot = stream.next();
            assertEquals("message.sent", bot.type());
            assertEquals("m3", data(bot).path("messageId").asText());
            assertEquals("alice", data(bot).path("userId").asText());
            var ready = stream.next();
            assertEquals("stream.ready", ready.type());
            assertEquals(2, data(ready).path("replayed").asInt());
            assertEquals(position("m3"), ready.id());

            publish(Topics.CONVERSATION_EVENTS, EventTypes.MESSAGE_RECEIVED, conversation,
                    message(conversation, "m3", "text 3"));
            publish(Topics.CONVERSATION_EVENTS, EventTypes.MESSAGE_RECEIVED, conversation,
                    message(conversation, "m4", "text 4"));
            var live = stream.next();
            assertEquals("m4", data(live).path("messageId").asText(), "a replayed message is not sent again");
        }

        // A fresh connect starts at the newest message: nothing is replayed.
        try (var stream = SseClient.open(events(conversation), reader, null)) {
            var ready = stream.next();
            assertEquals("stream.ready", ready.type());
            assertEquals(0, data(ready).path("replayed").asInt());
            assertEquals(position("m3"), ready.id());
        }
    }

    @Test
    void aPositionTooOldOrUnknownGetsResync() throws Exception {
        String conversation = bob.getString("conversationId");
        var transcript = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 260; i++) {
            transcript.add(Map.of("messageId", "n" + i, "role", "user", "text", "text " + i,
                    "createdAt", Instant.now().toString()));
        }
        FakeBackends.TRANSCRIPTS.put(Keys.TENANT + '/' + conversation, transcript);

        for (String lastEventId : List.of(position("n5"), position("not-a-message"), "garbage")) {
            try (var stream = SseClient.open(events(conversation), reader, lastEventId)) {
                var resync = stream.next();
                assertEquals("stream.resync", resync.type(), lastEventId);
                assertEquals("position_unknown", data(resync).path("reason").asText());
                assertEquals(position("n259"), resync.id(), "the position of the newest message, where history ends");
                assertEquals("stream.ready", stream.next().type());
            }
        }
        // Within the replay limit (the newest 200 messages) the missed messages are replayed.
        try (var stream = SseClient.open(events(conversation), reader, position("n250"))) {
            var replayed = new ArrayList<String>();
            SseClient.Event event;
            while (!(event = stream.next()).type().equals("stream.ready")) {
                replayed.add(data(event).path("messageId").asText());
            }
            assertEquals(List.of("n251", "n252", "n253", "n254", "n255", "n256", "n257", "n258", "n259"), replayed);
            assertFalse(replayed.isEmpty());
        }
    }
}
