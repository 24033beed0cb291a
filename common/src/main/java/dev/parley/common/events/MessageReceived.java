package dev.parley.common.events;

import java.time.Instant;
import java.util.Map;

/** {@code message.received}: a user message is stored in the transcript. */
public record MessageReceived(
        String tenantId,
        String botId,
        String conversationId,
        String userId,
        String messageId,
        String text,
        Map<String, Object> metadata,
        Instant receivedAt) {
}
