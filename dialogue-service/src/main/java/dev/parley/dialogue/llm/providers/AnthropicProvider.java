package dev.parley.dialogue.llm.providers;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.dialogue.llm.ChatMessage;
import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.LlmResponse;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.ProviderFailure;
import dev.parley.dialogue.llm.Usage;

/**
 * Anthropic Messages: {@code POST {base}/messages} with {@code x-api-key} and {@code anthropic-version: 2023-06-01};
 * the system prompt is a top-level field, {@code max_tokens} is required, the conversation must start with the
 * user and alternate; streams are SSE events {@code message_start}, {@code content_block_delta},
 * {@code message_delta}, {@code message_stop} (and {@code ping}, {@code error}).
 */
public final class AnthropicProvider extends HttpProvider {

    static final String API_VERSION = "2023-06-01";

    public AnthropicProvider(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        super(http, endpoint, apiKey, timeout);
    }

    @Override
    protected HttpRequest.Builder request(LlmRequest request, boolean stream) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", endpoint.model());
        body.put("max_tokens", request.maxTokens());
        String system = systemPrompt(request);
        if (!system.isEmpty()) {
            body.put("system", system);
        }
        ArrayNode messages = body.putArray("messages");
        ObjectNode last = null;
        for (ChatMessage message : request.messages()) {
            if (last == null && message.role() != ChatMessage.Role.USER) {
                continue; // a bot greeting before the user's first message: Anthropic wants the user first
            }
            if (last != null && last.path("role").asText().equals(message.role().wire())) {
                last.put("content", last.path("content").asText() + "\n\n" + message.content());
                continue;
            }
            last = messages.addObject().put("role", message.role().wire()).put("content", message.content());
        }
        double temperature = temperature(request);
        putTemperature(body, "temperature", Double.isNaN(temperature) ? temperature : Math.min(1.0, temperature));
        if (stream) {
            body.put("stream", true);
        }
        var builder = HttpRequest.newBuilder(uri("/messages"))
                .header("anthropic-version", API_VERSION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (apiKey != null && !apiKey.isEmpty()) {
            builder.header("x-api-key", apiKey);
        }
        return builder;
    }

    @Override
    protected LlmResponse parse(JsonNode body, LlmRequest request) {
        if (!body.path("content").isArray()) {
            throw new ProviderFailure(name(), ProviderFailure.Kind.MALFORMED, "no content in the response");
        }
        var text = new StringBuilder();
        for (JsonNode block : body.path("content")) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText());
            }
        }
        JsonNode usage = body.path("usage");
        return new LlmResponse(text.toString(), name(), body.path("model").asText(endpoint.model()),
                usage.isObject() ? new Usage(usage.path("input_tokens").asInt(), usage.path("output_tokens").asInt())
                        : null,
                finishReason(body.path("stop_reason").asText("")), echoSources(request));
    }

    @Override
    protected LlmResponse readStream(InputStream body, LlmRequest request, Consumer<String> tokens)
            throws IOException {
        var text = new StringBuilder();
        var state = new Object() {
            String model = endpoint.model();
            String stopReason = "";
            int inputTokens;
            int outputTokens;
            boolean stopped;
        };
        ServerSentEvents.read(body, event -> {
            JsonNode data = JSON.readTree(event.data());
            String type = data.path("type").asText(event.name());
            switch (type) {
                case "message_start" -> {
                    JsonNode message = data.path("message");
                    state.model = message.path("model").asText(state.model);
                    state.inputTokens = message.path("usage").path("input_tokens").asInt();
                    state.outputTokens = message.path("usage").path("output_tokens").asInt();
                }
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    if ("text_delta".equals(delta.path("type").asText())) {
                        String piece = delta.path("text").asText();
                        text.append(piece);
                        tokens.accept(piece);
                    }
                }
                case "message_delta" -> {
                    if (data.path("delta").path("stop_reason").isTextual()) {
                        state.stopReason = data.path("delta").path("stop_reason").asText();
                    }
                    if (data.path("usage").has("output_tokens")) {
                        state.outputTokens = data.path("usage").path("output_tokens").asInt();
                    }
                }
                case "message_stop" -> {
                    state.stopped = true;
                    return false;
                }
                case "error" -> throw new ProviderFailure(name(), ProviderFailure.Kind.HTTP_STATUS, 200,
                        "error in stream: " + errorMessage(event.data()), null);
                default -> {
                    // ping, content_block_start, content_block_stop: nothing to collect
                }
            }
            return true;
        });
        if (!state.stopped) {
            throw new IOException("stream ended before message_stop");
        }
        return new LlmResponse(text.toString(), name(), state.model, new Usage(state.inputTokens, state.outputTokens),
                finishReason(state.stopReason), echoSources(request));
    }

    static FinishReason finishReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens" -> FinishReason.LENGTH;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
