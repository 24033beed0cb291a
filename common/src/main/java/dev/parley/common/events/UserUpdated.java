package dev.parley.common.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code user.updated}: a user's custom attributes changed (through the users API or with a message).
 *
 * @param attributes the user's attributes after the change
 * @param changed    the attribute names that were set, replaced or removed by this change
 */
public record UserUpdated(
        String tenantId,
        String userId,
        Map<String, Object> attributes,
        List<String> changed,
        Instant updatedAt) {
}
