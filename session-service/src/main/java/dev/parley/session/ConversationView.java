package dev.parley.session;

import java.time.Instant;

public record ConversationView(String conversationId, String tenantId, String botId, String userId, String status,
        Instant startedAt, Instant lastActivityAt, int messageCount) {
}
