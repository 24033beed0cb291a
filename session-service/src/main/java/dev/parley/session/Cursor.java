package dev.parley.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;

/**
 * A message's place in a transcript, encoded as an opaque string for the API. Clients must not parse it: its
 * format may change between versions (it carries a version prefix so old cursors can be refused clearly).
 */
public record Cursor(Instant turnAt, UUID turnId, int position) {

    private static final String VERSION = "c1";

    public Cursor {
        turnAt = turnAt.truncatedTo(ChronoUnit.MICROS);
    }

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, turnAt);
        String raw = VERSION + ":" + micros + ":" + turnId + ":" + position;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String value) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            Instant turnAt = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            return new Cursor(turnAt, UUID.fromString(parts[2]), Integer.parseInt(parts[3]));
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemCode.INVALID_CURSOR, "The cursor is not one this API issued");
        }
    }
}
