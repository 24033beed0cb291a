package dev.parley.gateway.events;

/**
 * One event for a conversation's stream, as the gateway forwards it.
 *
 * @param type      the SSE {@code event} name: the CloudEvents type ({@code message.sent}, {@code message.delta}, …)
 * @param messageId the transcript message it announces (message.received, message.sent): the stream's position
 *                  moves to it and duplicates are dropped by it; null for other events
 * @param data      the event's JSON payload on one line
 */
public record StreamEvent(String type, String messageId, String data) {
}
