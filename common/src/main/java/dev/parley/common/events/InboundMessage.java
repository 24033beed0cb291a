package dev.parley.common.events;

import java.time.Instant;
import java.util.Map;

/**
 * A user message accepted by the gateway, published on {@code parley.messages.inbound} keyed by
 * conversation id.
 *
 * @param messageId  unique id assigned by the gateway; every consumer dedupes on it
 * @param acceptedAt when the gateway accepted the message; it orders the transcript
 */
public record InboundMessage(
        String messageId,
        String tenantId,
        String botId,
        String conversationId,
        String sessionId,
        String userId,
        String text,
        Map<String, Object> metadata,
        Map<String, Object> attributes,
        Instant acceptedAt) {
}
