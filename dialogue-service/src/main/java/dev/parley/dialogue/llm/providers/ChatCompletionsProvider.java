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
 * The chat completions protocol ({@code POST {base}/chat/completions}, bearer key, SSE chunks ending with
 * {@code data: [DONE]}), shared by OpenAI and the servers that copy it, and by Mistral with its differences.
 */
abstract class ChatCompletionsProvider extends HttpProvider {

    ChatCompletionsProvider(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        super(http, endpoint, apiKey, timeout);
    }

    /** Adds what differs per provider: the token limit's name, stream options. */
    protected abstract void completeBody(ObjectNode body, LlmRequest request, boolean stream);

    protected abstract FinishReason finishReason(String reason);

    @Override
    protected HttpRequest.Builder request(LlmRequest request, boolean stream) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", endpoint.model());
        ArrayNode messages = body.putArray("messages");
        String system = systemPrompt(request);
        if (!system.isEmpty()) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role().wire()).put("content", message.content());
        }
        putTemperature(body, "temperature", temperature(request));
        if (stream) {
            body.put("stream", true);
        }
        completeBody(body, request, stream);
        var builder = HttpRequest.newBuilder(uri("/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (apiKey != null && !apiKey.isEmpty()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    @Override
    protected LlmResponse parse(JsonNode body, LlmRequest request) {
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new ProviderFailure(name(), ProviderFailure.Kind.MALFORMED, "no choices in the response");
        }
        return new LlmResponse(text(choice.path("message").path("content")), name(),
                body.path("model").asText(endpoint.model()), usage(body.path("usage")),
                finishReason(choice.path("finish_reason").asText("")), echoSources(request));
    }

    @Override
    protected LlmResponse readStream(InputStream body, LlmRequest request, Consumer<String> tokens)
            throws IOException {
        var text = new StringBuilder();
        var state = new Object() {
            String model = endpoint.model();
            String finish = "";
            Usage usage;
            boolean done;
        };
        ServerSentEvents.read(body, event -> {
            if ("[DONE]".equals(event.data().trim())) {
                state.done = true;
                return false;
            }
            JsonNode chunk = JSON.readTree(event.data());
            if (chunk.has("error")) {
                throw new ProviderFailure(name(), ProviderFailure.Kind.HTTP_STATUS, 200,
                        "error in stream: " + errorMessage(event.data()), null);
            }
            state.model = chunk.path("model").asText(state.model);
            JsonNode choice = chunk.path("choices").path(0);
            String piece = text(choice.path("delta").path("content"));
            if (!piece.isEmpty()) {
                text.append(piece);
                tokens.accept(piece);
            }
            if (choice.path("finish_reason").isTextual()) {
                state.finish = choice.path("finish_reason").asText();
            }
            if (chunk.path("usage").isObject()) {
                state.usage = usage(chunk.path("usage"));
            }
            return true;
        });
        if (!state.done) {
            throw new IOException("stream ended before [DONE]");
        }
        return new LlmResponse(text.toString(), name(), state.model, state.usage, finishReason(state.finish),
                echoSources(request));
    }

    /** Message content is a string, or (Mistral, newer servers) an array of typed chunks of which text counts. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        var text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    text.append(part.path("text").asText());
                }
            }
        }
        return text.toString();
    }

    static Usage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return null;
        }
        return new Usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt());
    }
}
