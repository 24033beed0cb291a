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
import dev.parley.dialogue.llm.Source;
import dev.parley.dialogue.llm.WireServer;
import dev.parley.dialogue.llm.WireServer.Reply;

/** OpenAI chat completions, against a local server that speaks the protocol of OpenAI's API reference. */
class OpenAiProviderTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "sk-test-0123456789";

    static LlmRequest request() {
        return new LlmRequest("You are the support bot of Example Bank.",
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello! How can I help?"),
                        ChatMessage.user("How long does a card take to arrive?")),
                200, 0.2, List.of(new Source("kb-1", "Cards", null, "New cards arrive within 5 working days.")),
                null);
    }

    static OpenAiProvider provider(WireServer server) {
        return new OpenAiProvider(HTTP, new ModelEndpoint("openai", "gpt-4o", server.baseUrl("/v1"), "openai", null,
                null), KEY, Duration.ofSeconds(5));
    }

    @Test
    void sendsAChatCompletionAndReadsTheAnswer() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Within 5 working days [1]."},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":57,"completion_tokens":9,"total_tokens":66}}"""))) {
            LlmResponse response = provider(server).generate(request());

            var sent = server.lastRequest();
            assertEquals("POST", sent.method());
            assertEquals("/v1/chat/completions", sent.path());
            assertEquals("Bearer " + KEY, sent.header("Authorization"));
            assertEquals("application/json", sent.header("Content-Type"));
            var body = sent.json();
            assertEquals("gpt-4o", body.path("model").asText());
            assertEquals(200, body.path("max_tokens").asInt(), "a compatible server gets max_tokens");
            assertEquals(0.2, body.path("temperature").asDouble());
            assertFalse(body.has("stream"));
            var messages = body.path("messages");
            assertEquals(4, messages.size());
            assertEquals("system", messages.path(0).path("role").asText());
            assertTrue(messages.path(0).path("content").asText().startsWith("You are the support bot"));
            assertTrue(messages.path(0).path("content").asText().contains("[1] Cards: New cards arrive"),
                    "the sources are numbered in the system prompt");
            assertEquals("user", messages.path(1).path("role").asText());
            assertEquals("assistant", messages.path(2).path("role").asText());
            assertEquals("How long does a card take to arrive?", messages.path(3).path("content").asText());

            assertEquals("Within 5 working days [1].", response.text());
            assertEquals("openai", response.provider());
            assertEquals("gpt-4o-2024-08-06", response.model());
            assertEquals(57, response.usage().inputTokens());
            assertEquals(9, response.usage().outputTokens());
            assertEquals(FinishReason.STOP, response.finishReason());
            assertEquals("kb-1", response.sources().get(0).id(), "the sources are echoed");
        }
    }

    @Test
    void streamsChunksUntilDone() throws Exception {
        try (var server = new WireServer(Reply.sse(
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"),
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Within \"},\"finish_reason\":null}]}"),
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"5 days.\"},\"finish_reason\":null}]}"),
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}"),
                frame(null, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":3,\"total_tokens\":43}}"),
                frame(null, "[DONE]")))) {
            var pieces = new ArrayList<String>();
            LlmResponse response = provider(server).stream(request(), pieces::add);

            var body = server.lastRequest().json();
            assertTrue(body.path("stream").asBoolean());
            assertTrue(body.path("stream_options").path("include_usage").asBoolean());
            assertEquals("text/event-stream", server.lastRequest().header("Accept"));
            assertEquals(List.of("Within ", "5 days."), pieces);
            assertEquals("Within 5 days.", response.text());
            assertEquals(FinishReason.LENGTH, response.finishReason());
            assertEquals(43, response.usage().totalTokens());
        }
    }

    @Test
    void aServerThatDoesNotStreamAnswersTheStreamWithOneJsonBody() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"id":"c","object":"chat.completion","model":"local-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Within 5 working days."},
                             "finish_reason":"stop"}]}"""))) {
            var pieces = new ArrayList<String>();
            LlmResponse response = provider(server).stream(request(), pieces::add);

            assertTrue(server.lastRequest().json().path("stream").asBoolean(), "streaming was asked for");
            assertEquals(List.of("Within 5 working days."), pieces, "the whole answer is one piece");
            assertEquals("Within 5 working days.", response.text());
            assertEquals(FinishReason.STOP, response.finishReason());
        }
    }

    @Test
    void aStreamCutBeforeDoneIsAFailure() throws Exception {
        try (var server = new WireServer(Reply.cutSse(
                frame(null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Within \"},\"finish_reason\":null}]}")))) {
            var pieces = new ArrayList<String>();
            var failure = assertThrows(ProviderFailure.class, () -> provider(server).stream(request(), pieces::add));
            assertEquals(ProviderFailure.Kind.IO, failure.kind());
            assertEquals(List.of("Within "), pieces);
        }
    }

    @Test
    void anErrorStatusQuotesTheProvidersMessageButNeverTheKey() throws Exception {
        try (var server = new WireServer(Reply.json(401, """
                {"error":{"message":"Incorrect API key provided: sk-test-****6789.","type":"invalid_request_error",
                 "param":null,"code":"invalid_api_key"}}"""))) {
            var failure = assertThrows(ProviderFailure.class, () -> provider(server).generate(request()));
            assertEquals(401, failure.status());
            assertEquals(ProviderFailure.Kind.HTTP_STATUS, failure.kind());
            assertTrue(failure.getMessage().contains("Incorrect API key provided"), failure.getMessage());
            assertFalse(failure.getMessage().contains(KEY));
        }
    }

    @Test
    void aServerThatQuotesTheRefusedKeyDoesNotGetItIntoTheFailure() throws Exception {
        try (var server = new WireServer(Reply.json(403, "{\"error\":\"key " + KEY + " is not allowed\"}"))) {
            var failure = assertThrows(ProviderFailure.class, () -> provider(server).generate(request()));
            assertEquals("openai: HTTP 403: key <redacted> is not allowed", failure.getMessage());
        }
    }

    @Test
    void aServerWithoutAuthenticationGetsNoAuthorizationHeader() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"model":"llama3.1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},
                 "finish_reason":"stop"}]}"""))) {
            var endpoint = new ModelEndpoint("openai", "llama3.1", server.baseUrl("/v1/"), null, null, 0.9);
            LlmResponse response = new OpenAiProvider(HTTP, endpoint, null, Duration.ofSeconds(5))
                    .generate(LlmRequest.of(null, "Hi"));
            assertNull(server.lastRequest().header("Authorization"));
            assertEquals("/v1/chat/completions", server.lastRequest().path(), "a trailing slash is tolerated");
            assertEquals(0.9, server.lastRequest().json().path("temperature").asDouble(),
                    "the endpoint's temperature wins");
            assertEquals(1, server.lastRequest().json().path("messages").size(), "no empty system message");
            assertNull(response.usage());
            assertEquals("Hi", response.text());
        }
    }
}
