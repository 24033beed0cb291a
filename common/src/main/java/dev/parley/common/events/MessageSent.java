package dev.parley.common.events;

import java.time.Instant;
import java.util.List;

/** {@code message.sent}: a bot message is stored in the transcript. */
public record MessageSent(
        String tenantId,
        String botId,
        String conversationId,
        String userId,
        String messageId,
        String inReplyTo,
        String text,
        Intent intent,
        List<QuickReply> quickReplies,
        List<SuggestedAction> suggestedActions,
        Instant sentAt) {
}
