package dev.parley.dialogue.llm;

import java.util.function.Consumer;

/**
 * One language model behind one API, whoever serves it: the local engine, an OpenAI-compatible server, Anthropic,
 * Gemini or Mistral. Implementations are bound to one model endpoint and, where the provider needs one, one key.
 * Failures are thrown as {@link ProviderFailure}; they never carry the key.
 */
public interface LlmProvider {

    /** The provider's name as it appears in {@link LlmResponse#provider()}, for example {@code openai}. */
    String name();

    LlmResponse generate(LlmRequest request);

    /**
     * Generates the answer token by token: each piece of text goes to {@code tokens} as soon as the provider sends
     * it, and the whole answer is returned at the end (its text is the concatenation of the pieces).
     */
    LlmResponse stream(LlmRequest request, Consumer<String> tokens);
}
