package dev.parley.common.events;

import java.time.Instant;

/**
 * {@code message.delta}: a piece of a bot message while a language model generates it, on
 * {@code parley.dialogue.stream}. The pieces of one message, in {@code index} order, concatenate to the text that
 * the later {@code message.sent} with the same {@code messageId} carries; a client shows the pieces as they come and
 * replaces them with that message when it arrives.
 *
 * @param messageId the id the bot message will have in the transcript
 * @param inReplyTo the user message being answered
 * @param index     0, 1, 2, … per message: gaps mean a piece was lost (deltas are fire-and-forget)
 * @param delta     the text added since the previous piece; may be empty on the final piece
 * @param last      true on the message's last piece (sent when generation ends, even when it failed)
 */
public record MessageDelta(
        String tenantId,
        String botId,
        String conversationId,
        String messageId,
        String inReplyTo,
        int index,
        String delta,
        @com.fasterxml.jackson.annotation.JsonProperty("final") boolean last,
        Instant sentAt) {
}
