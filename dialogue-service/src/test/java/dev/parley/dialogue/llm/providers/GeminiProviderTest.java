package dev.parley.dialogue.llm.providers;

import static dev.parley.dialogue.llm.WireServer.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parley.dialogue.llm.ChatMessage;
import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.LlmResponse;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.ProviderFailure;
import dev.parley.dialogue.llm.WireServer;
import dev.parley.dialogue.llm.WireServer.Reply;

/** Google Gemini, against a local server that speaks the protocol of the Gemini API reference. */
class GeminiProviderTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "AIza-test-key";

    static LlmRequest request() {
        return new LlmRequest("Answer in one sentence.",
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("What is APR?")),
                128, 0.0, List.of(), null);
    }

    static GeminiProvider provider(WireServer server) {
        return new GeminiProvider(HTTP, new ModelEndpoint("gemini", "gemini-2.0-flash", server.baseUrl("/v1beta"),
                "gemini", null, null), KEY, Duration.ofSeconds(5));
    }

    @Test
    void sendsGenerateContentAndReadsTheCandidate() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"candidates":[{"content":{"parts":[{"text":"thinking...","thought":true},
                                                     {"text":"APR is the yearly cost of borrowing."}],"role":"model"},
                                "finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":18,"candidatesTokenCount":8,"totalTokenCount":26},
                 "modelVersion":"gemini-2.0-flash-001"}"""))) {
            LlmResponse response = provider(server).generate(request());

            var sent = server.lastRequest();
            assertEquals("/v1beta/models/gemini-2.0-flash:generateContent", sent.path());
            assertNull(sent.query(), "the key is not in the URL");
            assertEquals(KEY, sent.header("x-goog-api-key"));
            var body = sent.json();
            assertEquals("Answer in one sentence.", body.path("systemInstruction").path("parts").path(0)
                    .path("text").asText());
            var contents = body.path("contents");
            assertEquals(3, contents.size());
            assertEquals("user", contents.path(0).path("role").asText());
            assertEquals("model", contents.path(1).path("role").asText());
            assertEquals("What is APR?", contents.path(2).path("parts").path(0).path("text").asText());
            assertEquals(128, body.path("generationConfig").path("maxOutputTokens").asInt());
            assertEquals(0.0, body.path("generationConfig").path("temperature").asDouble());

            assertEquals("APR is the yearly cost of borrowing.", response.text(), "thoughts are not the answer");
            assertEquals("gemini", response.provider());
            assertEquals("gemini-2.0-flash-001", response.model());
            assertEquals(18, response.usage().inputTokens());
            assertEquals(8, response.usage().outputTokens());
            assertEquals(FinishReason.STOP, response.finishReason());
        }
    }

    @Test
    void streamsServerSentEvents() throws Exception {
        try (var server = new WireServer(Reply.sse(
                frame(null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"APR is \"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.0-flash-001\"}"),
                frame(null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"the yearly\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":18,\"candidatesTokenCount\":4,\"totalTokenCount\":22},\"modelVersion\":\"gemini-2.0-flash-001\"}")))) {
            var pieces = new ArrayList<String>();
            LlmResponse response = provider(server).stream(request(), pieces::add);

            var sent = server.lastRequest();
            assertEquals("/v1beta/models/gemini-2.0-flash:streamGenerateContent", sent.path());
            assertEquals("alt=sse", sent.query());
            assertEquals(List.of("APR is ", "the yearly"), pieces);
            assertEquals("APR is the yearly", response.text());
            assertEquals(FinishReason.LENGTH, response.finishReason());
            assertEquals(22, response.usage().totalTokens());
        }
    }

    @Test
    void aBlockedPromptIsAnEmptyFilteredAnswer() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":9}}"""))) {
            LlmResponse response = provider(server).generate(request());
            assertEquals("", response.text());
            assertEquals(FinishReason.CONTENT_FILTER, response.finishReason());
        }
    }

    @Test
    void anErrorStatusQuotesGooglesMessage() throws Exception {
        try (var server = new WireServer(Reply.json(400, """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",
                 "status":"INVALID_ARGUMENT"}}"""))) {
            var failure = assertThrows(ProviderFailure.class, () -> provider(server).generate(request()));
            assertEquals(400, failure.status());
            assertTrue(failure.getMessage().contains("API key not valid"), failure.getMessage());
            assertFalse(failure.getMessage().contains(KEY));
        }
    }
}
