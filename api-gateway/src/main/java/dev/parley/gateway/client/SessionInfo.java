package dev.parley.gateway.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionInfo(String sessionId, String tenantId, String conversationId, String userId, String botId,
        Instant createdAt, Instant expiresAt, boolean resumed) {
}
