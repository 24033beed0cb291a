package dev.parley.dialogue.llm;

/** Tokens the provider counted for one call, as it reported them. */
public record Usage(int inputTokens, int outputTokens) {

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
