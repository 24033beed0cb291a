package dev.parley.common.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code conversation.ended}: a conversation was closed (through the API, or because its session expired).
 *
 * @param turns       user messages in the conversation
 * @param intentsSeen distinct intents the bot recognised, in the order first seen
 * @param outcome     the caller's outcome label when closed through the API (e.g. {@code resolved}); else null
 * @param reason      {@code closed} (API) or {@code expired} (inactivity)
 */
public record ConversationEnded(
        String tenantId,
        String botId,
        String conversationId,
        String userId,
        int turns,
        List<String> intentsSeen,
        String outcome,
        String reason,
        Instant endedAt) {
}
