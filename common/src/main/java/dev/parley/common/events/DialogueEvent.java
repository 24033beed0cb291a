package dev.parley.common.events;

import java.time.Instant;
import java.util.Map;

/**
 * An event of the dialogue on {@code parley.dialogue.events}, keyed by conversation id: {@code intent.detected},
 * {@code handoff.requested}, {@code handoff.released}, or a bot-defined type such as {@code lead.qualified}.
 *
 * @param type      the CloudEvents type, repeated in the payload for consumers that read only the data
 * @param messageId the user message whose turn raised it; null for events raised through the API
 * @param data      what the event says: for intent.detected {@code intent} and {@code confidence}; for
 *                  handoff.requested {@code reason} (misses, flow or api), {@code flow} and {@code slots} when in a
 *                  flow; for bot-defined events the slots the flow step names, plus {@code flow}
 */
public record DialogueEvent(
        String type,
        String tenantId,
        String botId,
        String conversationId,
        String userId,
        String messageId,
        Map<String, Object> data,
        Instant occurredAt) {
}
