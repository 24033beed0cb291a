package dev.parley.dialogue.llm.providers;

import java.net.http.HttpClient;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.ProviderKind;

/**
 * OpenAI chat completions (GPT-4o and later) and the servers that speak the same protocol (vLLM, Ollama,
 * LocalAI, LM Studio, gateways). OpenAI's own API takes {@code max_completion_tokens} (its reasoning models refuse
 * {@code max_tokens}); other servers are sent the older {@code max_tokens}, which they all understand. Streams ask
 * for the usage chunk that OpenAI sends last.
 */
public final class OpenAiProvider extends ChatCompletionsProvider {

    public OpenAiProvider(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        super(http, endpoint, apiKey, timeout);
    }

    @Override
    protected void completeBody(ObjectNode body, LlmRequest request, boolean stream) {
        boolean openAiItself = endpoint.effectiveBaseUrl().equals(ProviderKind.OPENAI.defaultBaseUrl());
        body.put(openAiItself ? "max_completion_tokens" : "max_tokens", request.maxTokens());
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
    }

    @Override
    protected FinishReason finishReason(String reason) {
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
