package dev.parley.common.events;

/** The intent the dialogue engine recognised in a user message, with its confidence in [0, 1]. */
public record Intent(String name, double confidence) {
}
