package dev.parley.dialogue.llm.providers;

import static dev.parley.dialogue.llm.WireServer.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.LlmResponse;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.ProviderFailure;
import dev.parley.dialogue.llm.WireServer;
import dev.parley.dialogue.llm.WireServer.Reply;

/** Mistral chat completions, against a local server that speaks the protocol of Mistral's API reference. */
class MistralProviderTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "mistral-test-key";

    static MistralProvider provider(WireServer server) {
        return new MistralProvider(HTTP, new ModelEndpoint("mistral", "mistral-small-latest",
                server.baseUrl("/v1"), "mistral", null, null), KEY, Duration.ofSeconds(5));
    }

    @Test
    void sendsMistralsShapeAndReadsChunkedContent() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"id":"cmpl-1","object":"chat.completion","model":"mistral-small-latest","created":1700000000,
                 "choices":[{"index":0,"message":{"role":"assistant","tool_calls":null,
                   "content":[{"type":"thinking","thinking":[{"type":"text","text":"hmm"}]},
                              {"type":"text","text":"Bonjour !"}]},"finish_reason":"model_length"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}"""))) {
            LlmResponse response = provider(server).generate(LlmRequest.of("Reply in French.", "Hello"));

            var sent = server.lastRequest();
            assertEquals("/v1/chat/completions", sent.path());
            assertEquals("Bearer " + KEY, sent.header("Authorization"));
            var body = sent.json();
            assertEquals("mistral-small-latest", body.path("model").asText());
            assertEquals(512, body.path("max_tokens").asInt());
            assertFalse(body.has("max_completion_tokens"));
            assertEquals("system", body.path("messages").path(0).path("role").asText());

            assertEquals("Bonjour !", response.text(), "only text chunks are the answer");
            assertEquals("mistral", response.provider());
            assertEquals(FinishReason.LENGTH, response.finishReason());
            assertEquals(16, response.usage().totalTokens());
        }
    }

    @Test
    void streamsWithoutStreamOptionsAndTakesTheUsageFromTheLastChunk() throws Exception {
        try (var server = new WireServer(Reply.sse(
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"),
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Bon\"},\"finish_reason\":null}]}"),
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"mistral-small-latest\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"jour\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}"),
                frame(null, "[DONE]")))) {
            var pieces = new ArrayList<String>();
            LlmResponse response = provider(server).stream(LlmRequest.of(null, "Hello"), pieces::add);

            var body = server.lastRequest().json();
            assertTrue(body.path("stream").asBoolean());
            assertFalse(body.has("stream_options"), "Mistral has no stream_options");
            assertEquals(List.of("Bon", "jour"), pieces);
            assertEquals("Bonjour", response.text());
            assertEquals(FinishReason.STOP, response.finishReason());
            assertEquals(12, response.usage().totalTokens());
        }
    }

    @Test
    void anErrorObjectIsAFailureWithItsMessage() throws Exception {
        try (var server = new WireServer(Reply.json(422, """
                {"object":"error","message":"Invalid model: mistral-huge","type":"invalid_model","param":null,
                 "code":"1500"}"""))) {
            var failure = assertThrows(ProviderFailure.class,
                    () -> provider(server).generate(LlmRequest.of(null, "Hello")));
            assertEquals(422, failure.status());
            assertTrue(failure.getMessage().contains("Invalid model: mistral-huge"), failure.getMessage());
        }
    }
}
