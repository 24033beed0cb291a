package dev.parley.gateway.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A position in a conversation's event stream, sent as each SSE event's {@code id} and read back from
 * {@code Last-Event-ID}: the last transcript message the client was sent ({@code messageId}), or the start of a
 * conversation that had no messages yet ({@code messageId} null). Events that are not transcript messages (deltas,
 * handoff, end) carry the position of the message before them, as they are not replayed. Opaque to clients.
 */
public record ResumePoint(String messageId) {

    private static final String VERSION = "e1";
    public static final ResumePoint START = new ResumePoint(null);

    public boolean atStart() {
        return messageId == null;
    }

    public String encode() {
        String raw = VERSION + ":" + (messageId == null ? "" : messageId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a {@code Last-Event-ID} names; empty when it is not one this gateway issued. */
    public static Optional<ResumePoint> decode(String value) {
        if (value == null || value.isBlank() || value.length() > 200) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.UTF_8);
            if (!raw.startsWith(VERSION + ":")) {
                return Optional.empty();
            }
            String id = raw.substring(VERSION.length() + 1);
            if (id.length() > 64 || id.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                return Optional.empty();
            }
            return Optional.of(id.isEmpty() ? START : new ResumePoint(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
