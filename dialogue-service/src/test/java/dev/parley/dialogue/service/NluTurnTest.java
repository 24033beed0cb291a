package dev.parley.dialogue.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** A turn answered by the embedding classifier: the reply's intent is the predicted one, or the fallback. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
class NluTurnTest {

    static final String TENANT = "t-turns";

    @Inject
    BotRegistry registry;
    @Inject
    NluService nlu;
    @Inject
    DialogueService dialogue;

    @BeforeEach
    void installBot() throws Exception {
        NluTestBots.installAndTrain(registry, nlu, TENANT);
    }

    private BotReply say(String conversationId, String text) throws Exception {
        var message = new InboundMessage(UUID.randomUUID().toString(), TENANT, NluTestBots.BOT_ID, conversationId,
                "s-1", "u-1", text, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return dialogue.handleAndAnnounce(message);
    }

    @Test
    void answersWithThePredictedIntentsResponse() throws Exception {
        var conversation = UUID.randomUUID().toString();
        var bot = NluTestBots.definition();
        // Phrasings that are not training phrases of the bot.
        var reply = say(conversation, "the card you posted to me a fortnight ago never came");
        assertEquals("card_arrival", reply.intent().name());
        assertTrue(reply.intent().confidence() > 0.5, "confidence " + reply.intent().confidence());
        assertEquals("classifier", reply.metadata().get("nluEngine"));
        assertTrue(bot.intents().get("card_arrival").responses().contains(reply.messages().get(0).text()));

        reply = say(conversation, "somebody nicked my debit card on the bus");
        assertEquals("lost_or_stolen_card", reply.intent().name());
    }

    @Test
    void fallsBackWhenTheMessageIsOutOfScope() throws Exception {
        var conversation = UUID.randomUUID().toString();
        var reply = say(conversation, "can you recommend a good sci-fi novel");
        assertEquals(DialogueService.FALLBACK_INTENT, reply.intent().name());
        assertTrue(NluTestBots.definition().fallback().responses().contains(reply.messages().get(0).text()));
    }
}
