package dev.parley.dialogue.llm.providers;

import java.net.http.HttpClient;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.ModelEndpoint;

/**
 * Mistral's chat completions: OpenAI's shape, but {@code max_tokens} only, no {@code stream_options} (its last
 * stream chunk carries the usage on its own), {@code model_length} and {@code error} finish reasons, message
 * content that may be an array of typed chunks, and errors as {@code {"object":"error","message":...}}.
 */
public final class MistralProvider extends ChatCompletionsProvider {

    public MistralProvider(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        super(http, endpoint, apiKey, timeout);
    }

    @Override
    protected void completeBody(ObjectNode body, LlmRequest request, boolean stream) {
        body.put("max_tokens", request.maxTokens());
    }

    @Override
    protected FinishReason finishReason(String reason) {
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length", "model_length" -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
    }
}
