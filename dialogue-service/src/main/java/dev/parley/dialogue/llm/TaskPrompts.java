package dev.parley.dialogue.llm;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The requests for the tasks that are not free-form answers, and the reading of their results: a model asked to
 * classify must name one of the bot's intents (anything else is no classification), a handoff summary is written
 * for the human agent.
 */
public final class TaskPrompts {

    public static final String NO_INTENT = "none";

    private TaskPrompts() {
    }

    /** Asks for exactly one of {@code intents}, or {@code none}; short and deterministic. */
    public static LlmRequest intentClassification(List<String> intents, String text) {
        String system = "Classify the user's message into exactly one of these intents: " + String.join(", ", intents)
                + ". Answer with the intent name only, or " + NO_INTENT + " if none fits.";
        return new LlmRequest(system, List.of(ChatMessage.user(text)), 20, 0.0, List.of(), null);
    }

    /** The intent the model named, when it is one of {@code intents} (case, quotes and a final period ignored). */
    public static Optional<String> intentOf(LlmResponse response, List<String> intents) {
        String named = response.text().strip().replaceAll("^[\"'`*\\s]+|[\"'`*.\\s]+$", "");
        return intents.stream().filter(intent -> intent.toLowerCase(Locale.ROOT).equals(named.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** Asks for a summary of {@code conversation} that a human agent can act on. */
    public static LlmRequest handoffSummary(List<ChatMessage> conversation) {
        String system = "You hand this conversation over to a human support agent. In at most three sentences, say "
                + "what the customer wants, what is known so far and what is still open. Do not address the customer.";
        return new LlmRequest(system, conversation, 200, 0.2, List.of(), null);
    }
}
