package dev.parley.dialogue.llm.providers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
 * Google Gemini: {@code POST {base}/models/{model}:generateContent}, streaming through
 * {@code :streamGenerateContent?alt=sse} (each event a whole {@code GenerateContentResponse}, no end marker).
 * {@code contents[].parts[].text} with roles {@code user} and {@code model}, {@code systemInstruction},
 * {@code generationConfig}. The key goes in the {@code x-goog-api-key} header, which Google accepts like the
 * {@code ?key=} query parameter, so that it never appears in a URL (access logs, proxies, exception messages).
 */
public final class GeminiProvider extends HttpProvider {

    public GeminiProvider(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        super(http, endpoint, apiKey, timeout);
    }

    @Override
    protected HttpRequest.Builder request(LlmRequest request, boolean stream) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        String system = systemPrompt(request);
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
        }
        ArrayNode contents = body.putArray("contents");
        for (ChatMessage message : request.messages()) {
            ObjectNode content = contents.addObject();
            content.put("role", message.role() == ChatMessage.Role.USER ? "user" : "model");
            content.putArray("parts").addObject().put("text", message.content());
        }
        ObjectNode generation = body.putObject("generationConfig");
        generation.put("maxOutputTokens", request.maxTokens());
        putTemperature(generation, "temperature", temperature(request));
        String model = URLEncoder.encode(endpoint.model(), StandardCharsets.UTF_8);
        String path = "/models/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        var builder = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (apiKey != null && !apiKey.isEmpty()) {
            builder.header("x-goog-api-key", apiKey);
        }
        return builder;
    }

    @Override
    protected LlmResponse parse(JsonNode body, LlmRequest request) {
        JsonNode candidate = body.path("candidates").path(0);
        if (candidate.isMissingNode()) {
            if (body.path("promptFeedback").has("blockReason")) {
                return new LlmResponse("", name(), body.path("modelVersion").asText(endpoint.model()),
                        usage(body.path("usageMetadata")), FinishReason.CONTENT_FILTER, echoSources(request));
            }
            throw new ProviderFailure(name(), ProviderFailure.Kind.MALFORMED, "no candidates in the response");
        }
        return new LlmResponse(text(candidate), name(), body.path("modelVersion").asText(endpoint.model()),
                usage(body.path("usageMetadata")), finishReason(candidate.path("finishReason").asText("")),
                echoSources(request));
    }

    @Override
    protected LlmResponse readStream(InputStream body, LlmRequest request, Consumer<String> tokens)
            throws IOException {
        var text = new StringBuilder();
        var state = new Object() {
            String model = endpoint.model();
            String finish = "";
            Usage usage;
        };
        ServerSentEvents.read(body, event -> {
            JsonNode chunk = JSON.readTree(event.data());
            if (chunk.has("error")) {
                throw new ProviderFailure(name(), ProviderFailure.Kind.HTTP_STATUS, 200,
                        "error in stream: " + errorMessage(event.data()), null);
            }
            state.model = chunk.path("modelVersion").asText(state.model);
            JsonNode candidate = chunk.path("candidates").path(0);
            String piece = text(candidate);
            if (!piece.isEmpty()) {
                text.append(piece);
                tokens.accept(piece);
            }
            if (candidate.path("finishReason").isTextual()) {
                state.finish = candidate.path("finishReason").asText();
            }
            if (chunk.path("usageMetadata").isObject()) {
                state.usage = usage(chunk.path("usageMetadata"));
            }
            return true;
        });
        if (state.finish.isEmpty()) {
            throw new IOException("stream ended without a finish reason");
        }
        return new LlmResponse(text.toString(), name(), state.model, state.usage, finishReason(state.finish),
                echoSources(request));
    }

    /** The candidate's text parts; thought summaries of thinking models are not part of the answer. */
    private static String text(JsonNode candidate) {
        var text = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    private static Usage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return null;
        }
        return new Usage(usage.path("promptTokenCount").asInt(), usage.path("candidatesTokenCount").asInt());
    }

    static FinishReason finishReason(String reason) {
        return switch (reason) {
            case "STOP" -> FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
                FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
