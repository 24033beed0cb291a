package dev.parley.dialogue.llm;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One model a bot may use, as written in the {@code models.endpoints} section of its definition.
 *
 * @param provider      {@code local}, {@code openai}, {@code anthropic}, {@code gemini} or {@code mistral}
 * @param model         the provider's model name, e.g. {@code gpt-4o}; ignored by {@code local}
 * @param baseUrl       the API root including its version path; the provider's public API when absent
 * @param credential    the name of the tenant's stored provider key; absent for servers without authentication
 * @param timeoutMillis how long one call may take, streaming included; the service default when absent
 * @param temperature   overrides the request's temperature when set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelEndpoint(String provider, String model, String baseUrl, String credential, Integer timeoutMillis,
        Double temperature) {

    public static ModelEndpoint local() {
        return new ModelEndpoint(ProviderKind.LOCAL.wire(), "extractive", null, null, null, null);
    }

    /** The protocol; only valid after {@link BotModels#validate()} found no error. */
    public ProviderKind kind() {
        return ProviderKind.of(provider);
    }

    /** The base URL to call, without a trailing slash. */
    public String effectiveBaseUrl() {
        String url = baseUrl == null || baseUrl.isBlank() ? kind().defaultBaseUrl() : baseUrl.trim();
        while (url != null && url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }
}
