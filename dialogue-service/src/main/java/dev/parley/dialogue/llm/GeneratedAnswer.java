package dev.parley.dialogue.llm;

import java.util.List;

/**
 * The answer of a route and how it came about: every endpoint tried, in order, with what happened. The last
 * attempt is the one that answered.
 */
public record GeneratedAnswer(LlmResponse response, List<Attempt> attempts) {

    public GeneratedAnswer {
        attempts = List.copyOf(attempts);
    }

    public enum Outcome {
        ANSWERED,
        /** The provider answered an error status, the connection failed or the answer was unreadable. */
        FAILED,
        TIMED_OUT,
        /** Skipped without a call: the circuit is open after recent failures. */
        CIRCUIT_OPEN,
        /** Skipped without a call: the tenant has no key stored under the endpoint's credential name. */
        NO_CREDENTIAL,
        /** The provider answered with no text at all. */
        EMPTY
    }

    /** One endpoint tried. {@code detail} is safe to log: it never holds a key. */
    public record Attempt(String endpoint, String provider, String model, Outcome outcome, String detail,
            long millis) {
    }

    /** True when a configured provider failed and a later one (or the local engine) answered instead. */
    public boolean fellBack() {
        return attempts.stream().anyMatch(attempt -> attempt.outcome() != Outcome.ANSWERED);
    }
}
