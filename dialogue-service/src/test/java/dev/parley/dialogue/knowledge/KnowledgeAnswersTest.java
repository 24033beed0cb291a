package dev.parley.dialogue.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.service.BotRegistry;
import dev.parley.dialogue.service.BotValidator;
import dev.parley.dialogue.service.DialogueService;
import dev.parley.dialogue.service.NluService;
import dev.parley.dialogue.service.NluTestBots;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The fallback answers from the knowledge base, against a local stand-in for knowledge-service's search: a relevant
 * passage gives an answer quoted from it with its source; nothing similar enough gives the bot's "don't know"
 * fallback without sources, and counts as a miss towards the handoff; a search that does not answer in time costs the
 * turn about the timeout, not more, and the bot still answers.
 */
@QuarkusTest
@TestProfile(KnowledgeAnswersTest.WithKnowledge.class)
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KnowledgeAnswersTest {

    public static class WithKnowledge implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KnowledgeStandIn.class));
        }
    }

    static final String DONT_KNOW = "Sorry, I don't know the answer to that. You can ask for a colleague.";
    /** The knowledge settings as a definition spells them; the intents are the NLU test bank's. */
    static final String BOT_JSON = """
            {"id": "%s", "name": "Grounded bank", "language": "en",
             "fallback": {"responses": ["%s"], "knowledge": true, "maxSources": 2, "tags": ["policies"]},
             "policy": {"handoffAfterMisses": 2}, "intents": %s}
            """;

    @Inject
    BotRegistry registry;
    @Inject
    NluService nlu;
    @Inject
    DialogueService dialogue;
    @Inject
    ObjectMapper json;

    @BeforeEach
    void installBot() throws Exception {
        var bot = registry.latest(KnowledgeStandIn.TENANT, KnowledgeStandIn.BOT);
        if (bot.isEmpty()) {
            var definition = json.readValue(BOT_JSON.formatted(KnowledgeStandIn.BOT, DONT_KNOW,
                    json.writeValueAsString(NluTestBots.definition().intents())), BotDefinition.class);
            assertEquals(List.of(), BotValidator.validate(definition));
            registry.publish(KnowledgeStandIn.TENANT, definition);
            bot = registry.latest(KnowledgeStandIn.TENANT, KnowledgeStandIn.BOT);
        }
        nlu.of(bot.orElseThrow());
        assertTrue(nlu.awaitIdle(3, TimeUnit.MINUTES), "NLU training did not finish");
    }

    private BotReply say(String conversationId, String text) throws Exception {
        var message = new InboundMessage(UUID.randomUUID().toString(), KnowledgeStandIn.TENANT, KnowledgeStandIn.BOT,
                conversationId, "s-1", "u-1", text, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return dialogue.handleAndAnnounce(message);
    }

    private int misses(String conversationId) throws Exception {
        return ((Number) dialogue.describe(KnowledgeStandIn.TENANT, UUID.fromString(conversationId)).orElseThrow()
                .get("misses")).intValue();
    }

    @Test
    @Order(1)
    void answersFromTheRelevantPassageWithItsSource() throws Exception {
        var conversation = UUID.randomUUID().toString();
        var reply = say(conversation, "Can my dog travel with me on the train?");

        assertEquals(DialogueService.FALLBACK_INTENT, reply.intent().name());
        assertEquals(1, reply.messages().size());
        String text = reply.messages().get(0).text();
        assertTrue(text.contains("Dogs travel with you on the train for free"), text);
        assertTrue(KnowledgeStandIn.PETS_TEXT.contains(text.replaceAll("\\s*\\[\\d+]", "")),
                "the answer is quoted from the passage, nothing added: " + text);
        assertNotEquals(DONT_KNOW, text);

        assertEquals(1, reply.sources().size(), "only the passage the answer cites: " + reply.sources());
        var source = reply.sources().get(0);
        assertEquals("doc-pets", source.documentId());
        assertEquals("doc-pets:0", source.chunkId());
        assertEquals("Travelling with pets", source.title());
        assertEquals("https://help.example.com/pets", source.url());
        assertEquals(0.84, source.score(), 1e-9);
        assertTrue(source.snippet().contains("for free"));
        assertTrue(String.valueOf(reply.metadata().get("generatedBy")).startsWith("knowledge+local"),
                String.valueOf(reply.metadata()));
        assertEquals(0, misses(conversation), "a knowledge answer is an answer, not a miss");

        // The reply as it travels on Kafka carries its sources.
        var wire = json.readValue(json.writeValueAsString(reply), BotReply.class);
        assertEquals(reply.sources(), wire.sources());
    }

    @Test
    @Order(2)
    void saysItDoesNotKnowWhenNothingIsSimilarEnoughThenHandsOver() throws Exception {
        var conversation = UUID.randomUUID().toString();
        var reply = say(conversation, "Will it rain in Oslo tomorrow afternoon?");
        assertEquals(List.of(DONT_KNOW), reply.messages().stream().map(m -> m.text()).toList());
        assertTrue(reply.sources().isEmpty(), "no sources: " + reply.sources());
        assertFalse(reply.metadata().containsKey("generatedBy"));
        assertEquals(1, misses(conversation));
        // Wire form of a reply without sources: the field is left out, and reads back as none.
        assertFalse(json.writeValueAsString(reply).contains("\"sources\""));

        reply = say(conversation, "And what will the weather be like on Sunday in Bergen?");
        assertEquals("handoff", reply.metadata().get("status"));
        assertTrue(reply.sources().isEmpty());
    }

    @Test
    @Order(3)
    void aKnowledgeServiceThatDoesNotAnswerCostsTheTurnOnlyTheTimeout() throws Exception {
        var conversation = UUID.randomUUID().toString();
        long start = System.nanoTime();
        var reply = say(conversation, "Please answer slowly: may my dog come on the train?");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(DONT_KNOW), reply.messages().stream().map(m -> m.text()).toList());
        assertTrue(reply.sources().isEmpty());
        assertTrue(millis < 4_000, "the turn took " + millis + " ms");
    }

    @Test
    void rejectsBadFallbackSettingsAndStillLoadsOldDefinitions() throws Exception {
        var bad = json.readValue("""
                {"id": "b", "intents": {"hi": {"examples": ["hi"], "responses": ["Hi"]}},
                 "fallback": {"minSimilarity": 1.5, "maxSources": 0, "tags": ["no spaces allowed"]}}""",
                BotDefinition.class);
        var fields = BotValidator.validate(bad).stream().map(e -> e.field()).toList();
        assertEquals(List.of("fallback.minSimilarity", "fallback.maxSources", "fallback.tags[0]"), fields);

        var old = json.readValue("""
                {"id": "b", "intents": {"hi": {"examples": ["hi"], "responses": ["Hi"]}},
                 "fallback": {"responses": ["Sorry?"], "quickReplies": [{"title": "Help", "payload": "help"}]}}""",
                BotDefinition.class);
        assertEquals(List.of(), BotValidator.validate(old));
        assertEquals(List.of("Sorry?"), old.fallback().response().responses());
        assertTrue(old.fallback().searchesKnowledge());
    }
}
