package dev.parley.dialogue.llm;

/** Why the model stopped, the same across providers. */
public enum FinishReason {
    /** The answer is complete. */
    STOP,
    /** Cut at the token limit. */
    LENGTH,
    /** Withheld or cut by the provider's safety filter. */
    CONTENT_FILTER,
    /** Nothing relevant to say: the text is the bot's fallback (or empty for intent classification). */
    NO_ANSWER,
    /** The stream broke after some text was already sent; the text is what arrived. */
    INTERRUPTED,
    /** Any other reason the provider gave. */
    OTHER
}
