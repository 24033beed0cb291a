package dev.parley.gateway.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationInfo(String conversationId, String tenantId, String botId, String userId, String status,
        Instant startedAt, Instant lastActivityAt, int messageCount) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WithPage(ConversationInfo conversation, TranscriptPage page) {
    }
}
