package dev.parley.dialogue.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.parley.dialogue.llm.WireServer.Reply;
import dev.parley.dialogue.llm.providers.Providers;

class TaskPromptsTest {

    static final List<String> INTENTS = List.of("card_arrival", "lost_or_stolen_card", "exchange_rate");

    static LlmResponse said(String text) {
        return new LlmResponse(text, "openai", "gpt-4o", null, FinishReason.STOP, List.of());
    }

    @Test
    void acceptsOnlyOneOfTheBotsIntents() {
        assertEquals(Optional.of("card_arrival"), TaskPrompts.intentOf(said(" \"Card_Arrival\".\n"), INTENTS));
        assertEquals(Optional.of("exchange_rate"), TaskPrompts.intentOf(said("`exchange_rate`"), INTENTS));
        assertEquals(Optional.empty(), TaskPrompts.intentOf(said("none"), INTENTS));
        assertEquals(Optional.empty(), TaskPrompts.intentOf(said("I think card_arrival"), INTENTS),
                "a sentence is not an intent name");
        assertEquals(Optional.empty(), TaskPrompts.intentOf(said("refund_request"), INTENTS), "not the bot's intent");
    }

    @Test
    void aModelRoutedForClassificationIsAskedForOneIntentName() throws Exception {
        try (var claude = new WireServer(Reply.json(200, """
                {"type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text",
                 "text":"lost_or_stolen_card"}],"stop_reason":"end_turn","usage":{"input_tokens":40,"output_tokens":6}}"""))) {
            var models = new BotModels(Map.of("claude", new ModelEndpoint("anthropic", "claude-haiku-4-5",
                    claude.baseUrl("/v1"), null, null, null)), Map.of("intent-classification", List.of("claude")));
            var router = new ModelRouter(new ProviderGuards(GuardSettings.DEFAULTS), new LocalEngine(),
                    (tenant, name) -> Optional.empty(), (endpoint, key, timeout) -> Providers.create(
                            HttpClient.newHttpClient(), endpoint, key, timeout));

            var answer = router.answer("acme", models, Task.INTENT_CLASSIFICATION,
                    TaskPrompts.intentClassification(INTENTS, "someone took my card"), null);

            assertEquals(Optional.of("lost_or_stolen_card"), TaskPrompts.intentOf(answer.response(), INTENTS));
            var body = claude.lastRequest().json();
            assertTrue(body.path("system").asText().contains("card_arrival, lost_or_stolen_card, exchange_rate"));
            assertEquals(20, body.path("max_tokens").asInt());
            assertEquals(0.0, body.path("temperature").asDouble());
            assertEquals("someone took my card", body.path("messages").path(0).path("content").asText());

            var unrouted = router.answer("acme", BotModels.NONE, Task.INTENT_CLASSIFICATION,
                    TaskPrompts.intentClassification(INTENTS, "someone took my card"), null);
            assertEquals(Optional.empty(), TaskPrompts.intentOf(unrouted.response(), INTENTS),
                    "the local engine leaves classification to the NLU");
        }
    }
}
