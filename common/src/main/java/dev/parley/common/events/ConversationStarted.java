package dev.parley.common.events;

import java.time.Instant;

/** {@code conversation.started}: a session opened a new conversation. */
public record ConversationStarted(
        String tenantId,
        String botId,
        String conversationId,
        String userId,
        String sessionId,
        Instant startedAt) {
}
