package dev.parley.session;

import java.time.Instant;

public record SessionView(String sessionId, String tenantId, String conversationId, String userId, String botId,
        Instant createdAt, Instant expiresAt, boolean resumed) {
}
