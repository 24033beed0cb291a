package dev.parley.dialogue.llm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The wire protocols Parley speaks. A base URL includes the API version path, as the providers document it, so
 * that a self-hosted server (vLLM, Ollama, LocalAI, a corporate gateway) is just another base URL.
 */
public enum ProviderKind {
    /** The offline engine inside dialogue-service; needs no key and no network. */
    LOCAL("local", null, false),
    /** OpenAI chat completions and every server that speaks it. */
    OPENAI("openai", "https://api.openai.com/v1", true),
    ANTHROPIC("anthropic", "https://api.anthropic.com/v1", true),
    GEMINI("gemini", "https://generativelanguage.googleapis.com/v1beta", true),
    MISTRAL("mistral", "https://api.mistral.ai/v1", true);

    private final String wire;
    private final String defaultBaseUrl;
    private final boolean remote;

    ProviderKind(String wire, String defaultBaseUrl, boolean remote) {
        this.wire = wire;
        this.defaultBaseUrl = defaultBaseUrl;
        this.remote = remote;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public boolean remote() {
        return remote;
    }

    public static Optional<ProviderKind> find(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.wire.equals(wanted)).findFirst();
    }

    @JsonCreator
    public static ProviderKind of(String value) {
        return find(value).orElseThrow(() -> new IllegalArgumentException("unknown provider " + value));
    }
}
