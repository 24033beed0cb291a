package dev.parley.dialogue.llm.providers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.dialogue.llm.LlmProvider;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.LlmResponse;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.ProviderFailure;
import dev.parley.dialogue.llm.Source;

/**
 * What every HTTP adapter shares: JSON over the JDK HTTP client, error statuses turned into
 * {@link ProviderFailure}s that quote the provider's error message but never a header or the URL, and SSE
 * streaming. Subclasses only know their provider's request and response shapes.
 */
abstract class HttpProvider implements LlmProvider {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_EXCERPT = 300;

    protected final HttpClient http;
    protected final ModelEndpoint endpoint;
    protected final String apiKey;
    protected final Duration timeout;

    HttpProvider(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        this.http = http;
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return endpoint.kind().wire();
    }

    protected abstract HttpRequest.Builder request(LlmRequest request, boolean stream) throws IOException;

    protected abstract LlmResponse parse(JsonNode body, LlmRequest request);

    /** Reads the stream's events, sending text to {@code tokens}; returns the whole answer. */
    protected abstract LlmResponse readStream(InputStream body, LlmRequest request, Consumer<String> tokens)
            throws IOException;

    @Override
    public LlmResponse generate(LlmRequest request) {
        return parseBody(send(request, false), request);
    }

    private LlmResponse parseBody(HttpResponse<InputStream> response, LlmRequest request) {
        try (InputStream body = response.body()) {
            return parse(JSON.readTree(body), request);
        } catch (IOException e) {
            throw new ProviderFailure(name(), ProviderFailure.Kind.MALFORMED, response.statusCode(),
                    "unreadable response: " + e.getClass().getSimpleName(), null);
        } catch (RuntimeException e) {
            if (e instanceof ProviderFailure failure) {
                throw failure;
            }
            throw new ProviderFailure(name(), ProviderFailure.Kind.MALFORMED, response.statusCode(),
                    "unexpected response shape: " + e.getClass().getSimpleName(), null);
        }
    }

    @Override
    public LlmResponse stream(LlmRequest request, Consumer<String> tokens) {
        HttpResponse<InputStream> response = send(request, true);
        if (!response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT)
                .startsWith("text/event-stream")) {
            // A server that does not stream answers the same request with one JSON body: the whole text is one piece.
            LlmResponse whole = parseBody(response, request);
            if (!whole.text().isEmpty()) {
                tokens.accept(whole.text());
            }
            return whole;
        }
        var counting = new CountingConsumer(tokens);
        try (InputStream body = response.body()) {
            return readStream(body, request, counting);
        } catch (IOException e) {
            throw new ProviderFailure(name(), ProviderFailure.Kind.IO, response.statusCode(),
                    "stream broke after " + counting.pieces + " pieces: " + e.getClass().getSimpleName(), null);
        }
    }

    private HttpResponse<InputStream> send(LlmRequest request, boolean stream) {
        HttpResponse<InputStream> response;
        try {
            // The guard's timeout stops the call; this one only backs it up should the guard not interrupt.
            HttpRequest httpRequest = request(request, stream).timeout(timeout.plusSeconds(1))
                    .header("Content-Type", "application/json")
                    .header("Accept", stream ? "text/event-stream" : "application/json")
                    .build();
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ProviderFailure(name(), ProviderFailure.Kind.IO, 0,
                    "connection failed: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderFailure(name(), ProviderFailure.Kind.IO, 0, "interrupted", null);
        }
        if (response.statusCode() / 100 != 2) {
            String detail;
            try (InputStream body = response.body()) {
                detail = redact(errorMessage(new String(body.readNBytes(16 * 1024), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                detail = "";
            }
            throw new ProviderFailure(name(), ProviderFailure.Kind.HTTP_STATUS, response.statusCode(),
                    "HTTP " + response.statusCode() + (detail.isEmpty() ? "" : ": " + detail), null);
        }
        return response;
    }

    /** Some servers quote the credential they refused; it must not reach a log. */
    private String redact(String message) {
        return apiKey == null || apiKey.length() < 4 ? message : message.replace(apiKey, "<redacted>");
    }

    /** The provider's own error message: {@code error.message}, {@code message} or {@code detail}. */
    static String errorMessage(String body) {
        String message;
        try {
            JsonNode tree = JSON.readTree(body);
            JsonNode error = tree.path("error");
            message = error.isTextual() ? error.asText()
                    : error.path("message").isTextual() ? error.path("message").asText()
                    : tree.path("message").isTextual() ? tree.path("message").asText()
                    : tree.path("detail").isTextual() ? tree.path("detail").asText() : "";
        } catch (IOException | RuntimeException e) {
            message = "";
        }
        message = message.replaceAll("\\s+", " ").trim();
        return message.length() > ERROR_EXCERPT ? message.substring(0, ERROR_EXCERPT) + "…" : message;
    }

    protected URI uri(String path) {
        return URI.create(endpoint.effectiveBaseUrl() + path);
    }

    protected static byte[] bytes(JsonNode body) throws IOException {
        return JSON.writeValueAsBytes(body);
    }

    protected double temperature(LlmRequest request) {
        return endpoint.temperature() != null ? endpoint.temperature()
                : request.temperature() != null ? request.temperature() : Double.NaN;
    }

    protected static void putTemperature(ObjectNode node, String field, double temperature) {
        if (!Double.isNaN(temperature)) {
            node.put(field, temperature);
        }
    }

    /**
     * The system prompt with the grounding sources appended, numbered as the answer must cite them. Remote models
     * are told to answer only from the sources and to say they do not know otherwise.
     */
    static String systemPrompt(LlmRequest request) {
        var prompt = new StringBuilder(request.system() == null ? "" : request.system().trim());
        List<Source> sources = request.sources();
        if (!sources.isEmpty()) {
            if (!prompt.isEmpty()) {
                prompt.append("\n\n");
            }
            prompt.append("Answer only from the numbered sources below and cite each one you use as [n]. "
                    + "If they do not contain the answer, say that you do not know.\n");
            for (int i = 0; i < sources.size(); i++) {
                Source source = sources.get(i);
                prompt.append("\n[").append(i + 1).append("] ");
                if (source.title() != null && !source.title().isBlank()) {
                    prompt.append(source.title().trim()).append(": ");
                }
                prompt.append(source.text().trim());
            }
        }
        return prompt.toString();
    }

    static List<Source> echoSources(LlmRequest request) {
        return new ArrayList<>(request.sources());
    }

    private static final class CountingConsumer implements Consumer<String> {
        private final Consumer<String> delegate;
        int pieces;

        CountingConsumer(Consumer<String> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void accept(String piece) {
            if (piece != null && !piece.isEmpty()) {
                pieces++;
                delegate.accept(piece);
            }
        }
    }
}
