package dev.parley.common.events;

/** One message the bot sends within a turn. */
public record BotMessage(String messageId, String text) {
}
