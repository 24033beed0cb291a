package dev.parley.dialogue.llm.providers;

import java.net.http.HttpClient;
import java.time.Duration;

import dev.parley.dialogue.llm.LlmProvider;
import dev.parley.dialogue.llm.ModelEndpoint;

/** The adapter for an endpoint's protocol. */
public final class Providers {

    private Providers() {
    }

    public static LlmProvider create(HttpClient http, ModelEndpoint endpoint, String apiKey, Duration timeout) {
        return switch (endpoint.kind()) {
            case OPENAI -> new OpenAiProvider(http, endpoint, apiKey, timeout);
            case ANTHROPIC -> new AnthropicProvider(http, endpoint, apiKey, timeout);
            case GEMINI -> new GeminiProvider(http, endpoint, apiKey, timeout);
            case MISTRAL -> new MistralProvider(http, endpoint, apiKey, timeout);
            case LOCAL -> throw new IllegalArgumentException("the local engine is not an HTTP provider");
        };
    }

    /** One client for all providers: HTTP/2 where offered, connections reused across calls. */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
