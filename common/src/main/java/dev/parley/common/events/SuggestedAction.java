package dev.parley.common.events;

/**
 * An action offered to the user next to a reply.
 *
 * @param type  {@code postback}, {@code url} or {@code handoff}
 * @param value the postback text or the URL
 */
public record SuggestedAction(String type, String title, String value) {
}
