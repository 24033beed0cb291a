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

/** Anthropic Messages, against a local server that speaks the protocol of Anthropic's API reference. */
class AnthropicProviderTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = "sk-ant-test-key";

    static LlmRequest request() {
        return new LlmRequest("Be brief.",
                List.of(ChatMessage.assistant("Welcome to Example Bank!"), ChatMessage.user("Hi"),
                        ChatMessage.user("Is my card blocked?")),
                300, 1.4, List.of(), null);
    }

    static AnthropicProvider provider(WireServer server) {
        return new AnthropicProvider(HTTP, new ModelEndpoint("anthropic", "claude-sonnet-4-5",
                server.baseUrl("/v1"), "anthropic", null, null), KEY, Duration.ofSeconds(5));
    }

    @Test
    void sendsAMessagesRequestAndReadsTheContentBlocks() throws Exception {
        try (var server = new WireServer(Reply.json(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"No, your card "},{"type":"text","text":"is active."}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":21,"output_tokens":7}}"""))) {
            LlmResponse response = provider(server).generate(request());

            var sent = server.lastRequest();
            assertEquals("/v1/messages", sent.path());
            assertEquals(KEY, sent.header("x-api-key"));
            assertEquals("2023-06-01", sent.header("anthropic-version"));
            assertNull(sent.header("Authorization"));
            var body = sent.json();
            assertEquals("claude-sonnet-4-5", body.path("model").asText());
            assertEquals(300, body.path("max_tokens").asInt());
            assertEquals("Be brief.", body.path("system").asText(), "the system prompt is a top-level field");
            assertEquals(1.0, body.path("temperature").asDouble(), "Anthropic's temperature stops at 1");
            var messages = body.path("messages");
            assertEquals(1, messages.size(), "the greeting is dropped and the two user messages are joined");
            assertEquals("user", messages.path(0).path("role").asText());
            assertEquals("Hi\n\nIs my card blocked?", messages.path(0).path("content").asText());

            assertEquals("No, your card is active.", response.text());
            assertEquals("anthropic", response.provider());
            assertEquals("claude-sonnet-4-5-20250929", response.model());
            assertEquals(21, response.usage().inputTokens());
            assertEquals(7, response.usage().outputTokens());
            assertEquals(FinishReason.STOP, response.finishReason());
        }
    }

    @Test
    void streamsTextDeltasUntilMessageStop() throws Exception {
        try (var server = new WireServer(Reply.sse(
                frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"),
                frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                frame("ping", "{\"type\": \"ping\"}"),
                frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Your card \"}}"),
                frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"is active.\"}}"),
                frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"),
                frame("message_stop", "{\"type\":\"message_stop\"}")))) {
            var pieces = new ArrayList<String>();
            LlmResponse response = provider(server).stream(request(), pieces::add);

            assertTrue(server.lastRequest().json().path("stream").asBoolean());
            assertEquals(List.of("Your card ", "is active."), pieces);
            assertEquals("Your card is active.", response.text());
            assertEquals(FinishReason.LENGTH, response.finishReason());
            assertEquals(25, response.usage().inputTokens());
            assertEquals(15, response.usage().outputTokens());
            assertEquals("claude-sonnet-4-5-20250929", response.model());
        }
    }

    @Test
    void anErrorEventInTheStreamIsAFailure() throws Exception {
        try (var server = new WireServer(Reply.sse(
                frame("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"),
                frame("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")))) {
            var failure = assertThrows(ProviderFailure.class, () -> provider(server).stream(request(), piece -> { }));
            assertTrue(failure.getMessage().contains("Overloaded"), failure.getMessage());
        }
    }

    @Test
    void anOverloadedStatusIsAFailureWithTheProvidersMessage() throws Exception {
        try (var server = new WireServer(Reply.json(529, """
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""))) {
            var failure = assertThrows(ProviderFailure.class, () -> provider(server).generate(request()));
            assertEquals(529, failure.status());
            assertTrue(failure.getMessage().endsWith("HTTP 529: Overloaded"), failure.getMessage());
            assertFalse(failure.getMessage().contains(KEY));
        }
    }
}
