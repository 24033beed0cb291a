package dev.parley.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.events.Intent;
import dev.parley.common.events.KnowledgeSource;
import dev.parley.common.events.QuickReply;
import dev.parley.common.events.SuggestedAction;
import dev.parley.gateway.client.TranscriptMessage;

/** Request and response bodies of the public API. */
public final class Api {

    private Api() {
    }

    static final String ID_PATTERN = "[A-Za-z0-9._:@-]+";

    public record CreateSession(
            @Schema(description = "Your id for the end user", examples = "alice") @NotBlank @Size(max = 128) @Pattern(regexp = ID_PATTERN, message = "may contain only letters, digits and . _ : @ -") String userId,
            @Schema(description = "The bot to talk to; the tenant's default bot when omitted") @Size(max = 128) @Pattern(regexp = ID_PATTERN, message = "may contain only letters, digits and . _ : @ -") String botId,
            @Schema(description = "Resume this conversation of the same user instead of starting a new one") @Size(max = 64) String conversationId) {
    }

    public record SessionCreated(String sessionId, String conversationId, String userId, String botId,
            Instant expiresAt, boolean resumed) {
    }

    public record SendMessage(
            @Schema(description = "From POST /v1/sessions") @NotBlank @Size(max = 64) String sessionId,
            @Schema(description = "What the user said", examples = "My card has not arrived yet") @NotBlank @Size(max = 4000) String text,
            @Schema(description = "Your data about this message, stored with it and echoed in events") @Size(max = 50) Map<String, Object> metadata,
            @Schema(description = "Attributes of the user, for this turn") @Size(max = 50) Map<String, Object> attributes) {
    }

    public record BotMessageView(String messageId, String text) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageReply(
            @Schema(description = "Id of the user message this call created") String messageId,
            String conversationId,
            @Schema(description = "The bot's answer: every bot message of the turn, one per line") String reply,
            List<BotMessageView> messages,
            List<QuickReply> quickReplies,
            List<SuggestedAction> suggestedActions,
            Intent intent,
            Map<String, Object> metadata,
            @Schema(description = "The knowledge base passages the answer is grounded in (document, chunk, title, snippet, url, similarity score); empty when it used none") List<KnowledgeSource> sources) {
    }

    public record MessageAccepted(String messageId, String conversationId,
            @Schema(description = "Always 'accepted': the reply will arrive in the history and the event stream") String status) {
    }

    public record Cursors(
            @Schema(description = "Pass as 'before' for older messages; absent when there are none") String older,
            @Schema(description = "Pass as 'after' for newer messages") String newer) {
    }

    public record MessagesPage(String conversationId, List<TranscriptMessage> messages, Cursors cursors,
            boolean hasOlder, boolean hasNewer) {
    }

    public record Conversation(String conversationId, String botId, String userId, String status, Instant startedAt,
            Instant lastActivityAt, int messageCount,
            @Schema(description = "The newest page of the history, oldest first within the page") List<TranscriptMessage> messages,
            Cursors cursors, boolean hasOlder) {
    }
}
