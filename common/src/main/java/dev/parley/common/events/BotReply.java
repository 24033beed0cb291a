package dev.parley.common.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The bot's answer to one user message, published on {@code parley.replies} keyed by conversation id.
 *
 * @param inReplyTo the user message this answers
 * @param turnAt    the {@code acceptedAt} of that user message, so the transcript orders the reply after it
 *                  without a lookup
 * @param messages  every bot message of the turn, in order; empty when the bot stays silent
 * @param sources   the knowledge base passages the turn's answer is grounded in; empty when it used none
 */
public record BotReply(
        String inReplyTo,
        String tenantId,
        String botId,
        String conversationId,
        String sessionId,
        String userId,
        Instant turnAt,
        List<BotMessage> messages,
        Intent intent,
        List<QuickReply> quickReplies,
        List<SuggestedAction> suggestedActions,
        Map<String, Object> metadata,
        Instant repliedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<KnowledgeSource> sources) {

    public BotReply {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** A reply grounded in no knowledge. */
    public BotReply(String inReplyTo, String tenantId, String botId, String conversationId, String sessionId,
            String userId, Instant turnAt, List<BotMessage> messages, Intent intent, List<QuickReply> quickReplies,
            List<SuggestedAction> suggestedActions, Map<String, Object> metadata, Instant repliedAt) {
        this(inReplyTo, tenantId, botId, conversationId, sessionId, userId, turnAt, messages, intent, quickReplies,
                suggestedActions, metadata, repliedAt, List.of());
    }

    /** The same reply, grounded in {@code grounding}. */
    public BotReply withSources(List<KnowledgeSource> grounding) {
        return new BotReply(inReplyTo, tenantId, botId, conversationId, sessionId, userId, turnAt, messages, intent,
                quickReplies, suggestedActions, metadata, repliedAt, grounding);
    }

    /** The text of all bot messages of the turn, one per line. */
    public String text() {
        return String.join("\n", messages.stream().map(BotMessage::text).toList());
    }
}
