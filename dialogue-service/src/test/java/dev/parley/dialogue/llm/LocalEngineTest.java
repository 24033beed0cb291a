package dev.parley.dialogue.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LocalEngineTest {

    static final List<Source> KNOWLEDGE = List.of(
            new Source("fees", "Fees", null, "Card payments abroad cost 2% of the amount. "
                    + "Cash withdrawals at ATMs are free up to 200 EUR a month. Above that, each withdrawal costs 1 EUR."),
            new Source("cards", "Cards", "https://bank.example/cards", "A new card arrives within 5 working days. "
                    + "You can track the delivery in the app. Lost cards can be frozen instantly in the app."));

    final LocalEngine engine = new LocalEngine();

    static LlmRequest ask(String question) {
        return new LlmRequest(null, List.of(ChatMessage.user(question)), 200, null, KNOWLEDGE,
                "Sorry, I can't help with that yet.");
    }

    @Test
    void answersFromTheSentencesThatCoverTheQuestionAndCitesThem() {
        LlmResponse response = engine.answer(Task.ANSWER_GENERATION, ask("How long until my new card arrives?"));

        assertEquals(FinishReason.STOP, response.finishReason());
        assertTrue(response.text().startsWith("A new card arrives within 5 working days. [1]"), response.text());
        assertFalse(response.text().contains("2%"), "nothing about fees: " + response.text());
        assertEquals(List.of("cards"), response.sources().stream().map(Source::id).toList(),
                "only the cited source is returned, as [1]");
        assertEquals("local", response.provider());
    }

    @Test
    void citesEachSourceItUsesByItsPositionInTheAnswer() {
        LlmResponse response = engine.answer(Task.ANSWER_GENERATION,
                ask("What does an ATM cash withdrawal cost abroad?"));
        assertTrue(response.text().contains("Cash withdrawals at ATMs are free up to 200 EUR a month. [1]"),
                response.text());
        assertEquals("fees", response.sources().get(0).id());
    }

    @Test
    void saysItDoesNotKnowWhenTheSourcesDoNotCoverTheQuestion() {
        LlmResponse response = engine.answer(Task.ANSWER_GENERATION, ask("Can I open a mortgage for a house?"));
        assertEquals(FinishReason.NO_ANSWER, response.finishReason());
        assertEquals("Sorry, I can't help with that yet.", response.text());
        assertTrue(response.sources().isEmpty());
    }

    @Test
    void withoutSourcesItGivesTheFallbackOrAnHonestIDontKnow() {
        var withFallback = new LlmRequest(null, List.of(ChatMessage.user("How long until my card arrives?")), 0,
                null, List.of(), "Let me get a colleague.");
        assertEquals("Let me get a colleague.", engine.answer(Task.ANSWER_GENERATION, withFallback).text());
        LlmResponse bare = engine.answer(Task.ANSWER_GENERATION, LlmRequest.of(null, "How long until my card arrives?"));
        assertEquals(LocalEngine.DONT_KNOW, bare.text());
        assertEquals(FinishReason.NO_ANSWER, bare.finishReason());
    }

    @Test
    void summarisesAHandoffWithWhatTheUserSaid() {
        var conversation = new LlmRequest(null, List.of(ChatMessage.user("My card was   stolen"),
                ChatMessage.assistant("I froze it."), ChatMessage.user("I need a new one today")), 0, null,
                List.of(), null);
        LlmResponse summary = engine.answer(Task.HANDOFF_SUMMARY, conversation);
        assertEquals("The customer wrote 2 messages: \"My card was stolen\" / \"I need a new one today\".",
                summary.text());
    }

    @Test
    void leavesIntentClassificationToTheNlu() {
        LlmResponse response = engine.answer(Task.INTENT_CLASSIFICATION, ask("card arrival"));
        assertEquals(FinishReason.NO_ANSWER, response.finishReason());
        assertEquals("", response.text());
    }

    @Test
    void streamsTheSameTextWordByWord() {
        var pieces = new ArrayList<String>();
        LlmResponse response = engine.forTask(Task.ANSWER_GENERATION)
                .stream(ask("How long until my new card arrives?"), pieces::add);
        assertTrue(pieces.size() > 5);
        assertEquals(response.text(), String.join("", pieces));
    }
}
