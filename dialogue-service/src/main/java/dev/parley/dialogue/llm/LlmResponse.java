package dev.parley.dialogue.llm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A model's answer, the same for every provider.
 *
 * @param text         the answer
 * @param provider     who answered: {@code local}, {@code openai}, {@code anthropic}, {@code gemini}, {@code mistral}
 * @param model        the model that answered, as the provider named it
 * @param usage        tokens counted by the provider; null when it counts none (the local engine)
 * @param finishReason why the model stopped
 * @param sources      the sources the answer is grounded in, to show to the user
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlmResponse(String text, String provider, String model, Usage usage, FinishReason finishReason,
        List<Source> sources) {

    public LlmResponse {
        text = text == null ? "" : text;
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
