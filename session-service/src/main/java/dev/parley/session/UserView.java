package dev.parley.session;

import java.time.Instant;
import java.util.Map;

/** A user as the API shows it. */
public record UserView(String userId, Map<String, Object> attributes, Instant createdAt, Instant updatedAt) {
}
