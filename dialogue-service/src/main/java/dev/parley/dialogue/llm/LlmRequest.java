package dev.parley.dialogue.llm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What to ask a model, the same for every provider.
 *
 * @param system       instructions for the model; may be null
 * @param messages     the conversation so far, oldest first, ending with the user's message
 * @param maxTokens    upper bound on the answer's length in tokens
 * @param temperature  0 (deterministic) to 1 (varied); null for the provider's default
 * @param sources      knowledge the answer must be grounded in; empty when none
 * @param fallbackText what the bot says when it has no answer (the local engine's honest reply); may be null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LlmRequest(String system, List<ChatMessage> messages, int maxTokens, Double temperature,
        List<Source> sources, String fallbackText) {

    public static final int DEFAULT_MAX_TOKENS = 512;

    public LlmRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        sources = sources == null ? List.of() : List.copyOf(sources);
        if (maxTokens <= 0) {
            maxTokens = DEFAULT_MAX_TOKENS;
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
    }

    /** A single question, without history or sources. */
    public static LlmRequest of(String system, String userText) {
        return new LlmRequest(system, List.of(ChatMessage.user(userText)), DEFAULT_MAX_TOKENS, null, List.of(), null);
    }

    public LlmRequest withSources(List<Source> more) {
        return new LlmRequest(system, messages, maxTokens, temperature, more, fallbackText);
    }

    public LlmRequest withFallbackText(String text) {
        return new LlmRequest(system, messages, maxTokens, temperature, sources, text);
    }

    /** The last thing the user said: what an answer must address. */
    public String question() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }
}
