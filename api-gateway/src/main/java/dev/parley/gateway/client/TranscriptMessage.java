package dev.parley.gateway.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.events.Intent;
import dev.parley.common.events.KnowledgeSource;
import dev.parley.common.events.QuickReply;
import dev.parley.common.events.SuggestedAction;

/** One message of a conversation's history. {@code role} is {@code user} or {@code bot}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranscriptMessage(String messageId, String role, String text, Instant createdAt, String inReplyTo,
        Intent intent, List<QuickReply> quickReplies, List<SuggestedAction> suggestedActions,
        Map<String, Object> metadata, String cursor,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<KnowledgeSource> sources) {
}
