package dev.parley.dialogue.service;

import static dev.parley.dialogue.llm.WireServer.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.llm.BotModels;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.WireServer;
import dev.parley.dialogue.llm.WireServer.Reply;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A bot whose answers come from an OpenAI-compatible server that streams: the pieces reach
 * {@code parley.dialogue.stream} on a real Kafka broker, in order, under the id of the bot message they become, and
 * the reply's text is their concatenation. A server that answers with plain JSON gives one piece.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
@TestProfile(StreamingTurnTest.KeywordNlu.class)
class StreamingTurnTest {

    /**
     * TF-IDF intent matching: a question that shares no word with the bot's examples is then surely not understood
     * and goes to the model, where a classifier trained on a handful of phrases might force it into an intent.
     */
    public static class KeywordNlu implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.dialogue.nlu.enabled", "false");
        }
    }

    static final String TENANT = "t-streaming";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PIECES = List.of("Damaged ", "parcels ", "are refunded ", "within 14 days", ".");

    @Inject
    BotRegistry registry;
    @Inject
    DialogueService dialogue;

    private static String chunk(String content) {
        return frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"local-model\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"content\":" + JSON.valueToTree(content) + "},\"finish_reason\":null}]}");
    }

    private void installBot(String botId, WireServer server) throws Exception {
        var endpoint = new ModelEndpoint("openai", "local-model", server.baseUrl("/v1"), null, 10_000, null);
        var models = new BotModels(Map.of("local-llm", endpoint), Map.of("answer-generation", List.of("local-llm")));
        var intents = Map.of("greeting", new BotDefinition.IntentDefinition(
                List.of("hello", "hi there", "good morning", "hey"), List.of("Hello!"), null, null));
        registry.publish(TENANT, new BotDefinition(botId, "Parcel help", null, "en",
                new BotDefinition.Fallback(List.of("Sorry, I did not understand that."), null, null, null, null, null, null), intents, null,
                null, null, null, models, null));
    }

    private BotReply ask(String botId, String conversationId, String text) throws Exception {
        return dialogue.handleAndAnnounce(new InboundMessage(UUID.randomUUID().toString(), TENANT, botId,
                conversationId, "s-1", "u-1", text, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /** The deltas of a conversation on the stream topic, up to and including the final one. */
    private static List<ConsumerRecord<String, String>> deltas(String conversationId) {
        var properties = new Properties();
        properties.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        properties.put("group.id", "streaming-test-" + UUID.randomUUID());
        properties.put("auto.offset.reset", "earliest");
        var found = new ArrayList<ConsumerRecord<String, String>>();
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DIALOGUE_STREAM));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (conversationId.equals(record.key())) {
                        found.add(record);
                        if (read(record).path("final").asBoolean()) {
                            return found;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no final delta for " + conversationId + "; saw " + found.size());
    }

    private static JsonNode read(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStreamedAnswerIsPublishedPieceByPieceUnderTheFinalMessagesId() throws Exception {
        var frames = new ArrayList<String>();
        frames.add(frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"local-model\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"));
        PIECES.forEach(piece -> frames.add(chunk(piece)));
        frames.add(frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"local-model\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        frames.add(frame(null, "[DONE]"));
        try (var server = new WireServer(Reply.sse(frames.toArray(String[]::new)))) {
            installBot("parcels-streaming", server);
            String conversation = UUID.randomUUID().toString();
            var reply = ask("parcels-streaming", conversation, "What happens to a parcel that arrives broken?");

            assertTrue(server.lastRequest().json().path("stream").asBoolean(), "the model was asked to stream");
            assertEquals(1, reply.messages().size());
            String answer = reply.messages().get(0).text();
            assertEquals(String.join("", PIECES), answer);

            var records = deltas(conversation);
            var texts = new ArrayList<String>();
            for (int i = 0; i < records.size(); i++) {
                var record = records.get(i);
                var delta = read(record);
                assertEquals(i, delta.path("index").asInt(), "in order, without gaps");
                assertEquals(reply.messages().get(0).messageId(), delta.path("messageId").asText(),
                        "a delta carries the id of the message it becomes");
                assertEquals(reply.inReplyTo(), delta.path("inReplyTo").asText());
                assertEquals(TENANT, delta.path("tenantId").asText());
                assertEquals("message.delta", new String(record.headers().lastHeader("ce_type").value(),
                        StandardCharsets.UTF_8));
                texts.add(delta.path("delta").asText());
            }
            assertTrue(read(records.get(records.size() - 1)).path("final").asBoolean());
            assertEquals(PIECES, texts.subList(0, PIECES.size()), "each piece as the model sent it");
            assertEquals(answer, String.join("", texts), "the final message is the deltas put together");
        }
    }

    @Test
    void aServerThatAnswersWithPlainJsonGivesOnePiece() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"id":"c","object":"chat.completion","model":"local-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Refunds take 14 days."},
                             "finish_reason":"stop"}]}"""))) {
            installBot("parcels-json", server);
            String conversation = UUID.randomUUID().toString();
            var reply = ask("parcels-json", conversation, "What happens to a parcel that arrives broken?");
            assertEquals("Refunds take 14 days.", reply.messages().get(0).text());

            var texts = deltas(conversation).stream().map(record -> read(record).path("delta").asText()).toList();
            assertEquals("Refunds take 14 days.", String.join("", texts));
            assertEquals("Refunds take 14 days.", texts.get(0));
        }
    }
}
