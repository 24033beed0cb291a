package dev.parley.session;

import java.time.Instant;

/**
 * A conversation.
 *
 * @param status  {@code active}, {@code handoff} (the bot offered a human) or {@code closed}
 * @param endedAt when it was closed; null while open
 * @param outcome the caller's outcome label given on close, or {@code expired} after inactivity
 */
public record ConversationView(String conversationId, String tenantId, String botId, String userId, String status,
        Instant startedAt, Instant lastActivityAt, int messageCount, Instant endedAt, String outcome) {

    public ConversationView(String conversationId, String tenantId, String botId, String userId, String status,
            Instant startedAt, Instant lastActivityAt, int messageCount) {
        this(conversationId, tenantId, botId, userId, status, startedAt, lastActivityAt, messageCount, null, null);
    }
}
