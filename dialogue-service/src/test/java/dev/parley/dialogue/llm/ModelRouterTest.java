package dev.parley.dialogue.llm;

import static dev.parley.dialogue.llm.WireServer.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.parley.dialogue.llm.GeneratedAnswer.Outcome;
import dev.parley.dialogue.llm.WireServer.Reply;
import dev.parley.dialogue.llm.providers.Providers;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Routing across real adapters and local servers that speak each provider's protocol: outages (error statuses,
 * timeouts, broken streams) fall back to the next endpoint and finally to the local engine; circuits open per
 * tenant and endpoint.
 */
class ModelRouterTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String TENANT = "acme";

    static final String OPENAI_OK = """
            {"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"From GPT."},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";
    static final String ANTHROPIC_OK = """
            {"type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text",
             "text":"From Claude."}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":3}}""";
    static final String SERVER_ERROR = """
            {"error":{"message":"The server had an error while processing your request.","type":"server_error"}}""";

    final Map<String, String> keys = new HashMap<>(Map.of(
            "acme/openai", "sk-acme-openai", "acme/anthropic", "sk-ant-acme", "acme/mistral", "mistral-acme",
            "globex/openai", "sk-globex-openai"));

    ProviderGuards guards = new ProviderGuards(new GuardSettings(Duration.ofSeconds(5), 4, 0.5, Duration.ofMinutes(1)));

    ModelRouter router() {
        return new ModelRouter(guards, new LocalEngine(),
                (tenant, name) -> Optional.ofNullable(keys.get(tenant + "/" + name)),
                (endpoint, apiKey, timeout) -> Providers.create(HTTP, endpoint, apiKey, timeout));
    }

    static ModelEndpoint endpoint(String provider, WireServer server, String versionPath, String credential,
            Integer timeoutMillis) {
        return new ModelEndpoint(provider, provider + "-model", server.baseUrl(versionPath), credential,
                timeoutMillis, null);
    }

    static BotModels models(Object... nameEndpointPairs) {
        var endpoints = new LinkedHashMap<String, ModelEndpoint>();
        var names = new ArrayList<String>();
        for (int i = 0; i < nameEndpointPairs.length; i += 2) {
            endpoints.put((String) nameEndpointPairs[i], (ModelEndpoint) nameEndpointPairs[i + 1]);
            names.add((String) nameEndpointPairs[i]);
        }
        var models = new BotModels(endpoints, Map.of("answer-generation", names));
        assertEquals(List.of(), models.validate());
        return models;
    }

    static LlmRequest question() {
        return new LlmRequest("Be helpful.", List.of(ChatMessage.user("How long until my new card arrives?")), 100,
                null, List.of(new Source("cards", "Cards", null,
                        "A new card arrives within 5 working days. Lost cards can be frozen in the app.")),
                "Sorry, I can't help with that.");
    }

    static List<Outcome> outcomes(GeneratedAnswer answer) {
        return answer.attempts().stream().map(GeneratedAnswer.Attempt::outcome).toList();
    }

    @Test
    void anOutageFallsBackToTheNextProvider() throws Exception {
        try (var gpt = new WireServer(Reply.json(500, SERVER_ERROR));
                var claude = new WireServer(Reply.json(200, ANTHROPIC_OK))) {
            var models = models("gpt", endpoint("openai", gpt, "/v1", "openai", null),
                    "claude", endpoint("anthropic", claude, "/v1", "anthropic", null));

            GeneratedAnswer answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);

            assertEquals("From Claude.", answer.response().text());
            assertEquals("anthropic", answer.response().provider());
            assertEquals(List.of(Outcome.FAILED, Outcome.ANSWERED), outcomes(answer));
            assertTrue(answer.attempts().get(0).detail().contains("HTTP 500"), answer.attempts().get(0).detail());
            assertTrue(answer.fellBack());
            assertEquals(1, gpt.requests().size());
            assertEquals("sk-ant-acme", claude.lastRequest().header("x-api-key"), "the tenant's own key is used");
        }
    }

    @Test
    void whenEveryProviderIsDownTheLocalEngineAnswersFromTheSources() throws Exception {
        try (var gpt = new WireServer(Reply.json(503, SERVER_ERROR));
                var slow = new WireServer(Reply.json(200, OPENAI_OK).delayed(3000))) {
            var models = models("gpt", endpoint("openai", gpt, "/v1", "openai", null),
                    "slow", endpoint("mistral", slow, "/v1", "mistral", 300));

            long start = System.nanoTime();
            GeneratedAnswer answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(List.of(Outcome.FAILED, Outcome.TIMED_OUT, Outcome.ANSWERED), outcomes(answer));
            assertTrue(millis < 2500, "the slow provider was abandoned at its timeout, took " + millis + " ms");
            assertEquals("local", answer.response().provider());
            assertEquals("A new card arrives within 5 working days. [1]", answer.response().text());
            assertEquals("cards", answer.response().sources().get(0).id());
            assertEquals(1, slow.requests().size());
        }
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresAndSkipsTheProviderForThatTenantOnly() throws Exception {
        try (var gpt = new WireServer(Reply.json(500, SERVER_ERROR))) {
            ModelEndpoint endpoint = endpoint("openai", gpt, "/v1", "openai", null);
            var models = models("gpt", endpoint);
            ModelRouter router = router();

            for (int i = 0; i < 4; i++) {
                var answer = router.answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
                assertEquals(List.of(Outcome.FAILED, Outcome.ANSWERED), outcomes(answer));
                assertEquals("local", answer.response().provider());
            }
            assertEquals(4, gpt.requests().size());
            assertEquals(CircuitBreakerState.OPEN, guards.state(TENANT, "gpt", endpoint));

            var skipped = router.answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            assertEquals(List.of(Outcome.CIRCUIT_OPEN, Outcome.ANSWERED), outcomes(skipped));
            assertEquals(4, gpt.requests().size(), "an open circuit does not call the provider");
            assertTrue(skipped.attempts().get(0).millis() < 100);

            var otherTenant = router.answer("globex", models, Task.ANSWER_GENERATION, question(), null);
            assertEquals(Outcome.FAILED, otherTenant.attempts().get(0).outcome(), "another tenant has its own circuit");
            assertEquals(5, gpt.requests().size());
            assertEquals("Bearer sk-globex-openai", gpt.lastRequest().header("Authorization"));
        }
    }

    @Test
    void anOpenCircuitTriesAgainAfterItsDelayAndClosesOnSuccess() throws Exception {
        guards = new ProviderGuards(new GuardSettings(Duration.ofSeconds(5), 2, 0.5, Duration.ofMillis(300)));
        try (var gpt = new WireServer(Reply.json(500, SERVER_ERROR), Reply.json(500, SERVER_ERROR))) {
            ModelEndpoint endpoint = endpoint("openai", gpt, "/v1", "openai", null);
            var models = models("gpt", endpoint);
            ModelRouter router = router();
            router.answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            router.answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            assertEquals(CircuitBreakerState.OPEN, guards.state(TENANT, "gpt", endpoint));

            gpt.then(Reply.json(200, OPENAI_OK));
            Thread.sleep(400);
            var answer = router.answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);

            assertEquals("From GPT.", answer.response().text());
            assertEquals(CircuitBreakerState.CLOSED, guards.state(TENANT, "gpt", endpoint));
        }
    }

    @Test
    void anEndpointWithoutAStoredKeyIsSkippedWithoutACall() throws Exception {
        keys.remove("acme/openai");
        try (var gpt = new WireServer(Reply.json(200, OPENAI_OK))) {
            var models = models("gpt", endpoint("openai", gpt, "/v1", "openai", null));
            var answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            assertEquals(List.of(Outcome.NO_CREDENTIAL, Outcome.ANSWERED), outcomes(answer));
            assertEquals(0, gpt.requests().size());
            assertEquals("local", answer.response().provider());
        }
    }

    @Test
    void anEmptyAnswerIsNoAnswer() throws Exception {
        try (var gemini = new WireServer(Reply.json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"))) {
            keys.put("acme/gemini", "gemini-acme");
            var models = models("gemini", endpoint("gemini", gemini, "/v1beta", "gemini", null));
            var answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            assertEquals(List.of(Outcome.EMPTY, Outcome.ANSWERED), outcomes(answer));
            assertEquals("local", answer.response().provider());
        }
    }

    @Test
    void aStreamFallsBackWhileNoTextWasSent() throws Exception {
        try (var gpt = new WireServer(Reply.json(500, SERVER_ERROR));
                var mistral = new WireServer(Reply.sse(
                        frame(null, "{\"model\":\"mistral-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Five \"},\"finish_reason\":null}]}"),
                        frame(null, "{\"model\":\"mistral-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"days.\"},\"finish_reason\":\"stop\"}]}"),
                        frame(null, "[DONE]")))) {
            var models = models("gpt", endpoint("openai", gpt, "/v1", "openai", null),
                    "mistral", endpoint("mistral", mistral, "/v1", "mistral", null));
            var pieces = new ArrayList<String>();

            var answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), pieces::add);

            assertEquals(List.of("Five ", "days."), pieces, "the user sees one answer, from the provider that works");
            assertEquals("Five days.", answer.response().text());
            assertEquals("mistral", answer.response().provider());
        }
    }

    @Test
    void aStreamThatBreaksAfterSendingTextKeepsWhatWasSaid() throws Exception {
        try (var gpt = new WireServer(Reply.cutSse(
                frame(null, "{\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A new card \"},\"finish_reason\":null}]}")));
                var claude = new WireServer(Reply.json(200, ANTHROPIC_OK))) {
            var models = models("gpt", endpoint("openai", gpt, "/v1", "openai", null),
                    "claude", endpoint("anthropic", claude, "/v1", "anthropic", null));
            var pieces = new ArrayList<String>();

            var answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), pieces::add);

            assertEquals(List.of("A new card "), pieces);
            assertEquals(FinishReason.INTERRUPTED, answer.response().finishReason());
            assertEquals("A new card ", answer.response().text());
            assertEquals(0, claude.requests().size(), "no second answer after the user saw text");
        }
    }

    @Test
    void attemptsNeverShowTheKey() throws Exception {
        try (var gpt = new WireServer(Reply.json(401, """
                {"error":{"message":"Incorrect API key provided.","type":"invalid_request_error"}}"""))) {
            var models = models("gpt", endpoint("openai", gpt, "/v1", "openai", null));
            var answer = router().answer(TENANT, models, Task.ANSWER_GENERATION, question(), null);
            assertEquals("Bearer sk-acme-openai", gpt.lastRequest().header("Authorization"));
            assertFalse(answer.toString().contains("sk-acme-openai"));
            assertTrue(answer.attempts().get(0).detail().contains("HTTP 401: Incorrect API key provided."));
        }
    }

    @Test
    void aBotWithoutModelsIsAnsweredByTheLocalEngine() {
        var answer = router().answer(TENANT, BotModels.NONE, Task.ANSWER_GENERATION, question(), null);
        assertEquals(List.of(Outcome.ANSWERED), outcomes(answer));
        assertEquals("local", answer.response().provider());
        assertFalse(answer.fellBack());
    }
}
