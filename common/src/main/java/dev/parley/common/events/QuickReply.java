package dev.parley.common.events;

/** A short answer the user can tap; {@code payload} is sent back as the next message's text when present. */
public record QuickReply(String title, String payload) {
}
