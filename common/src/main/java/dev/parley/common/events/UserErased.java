package dev.parley.common.events;

import java.time.Instant;

/**
 * {@code user.erased}: the command, on {@code parley.user.erasures}, to erase every piece of data a service holds
 * about one user of one tenant. Each service listed in the erasure request answers with {@link ErasureConfirmed}.
 * Data about this user that arrives at a service later but was produced before {@code requestedAt} must be dropped.
 *
 * @param erasureId   the request's id; confirmations quote it
 * @param requestedAt when the erasure started (the tombstone time)
 */
public record UserErased(
        String erasureId,
        String tenantId,
        String userId,
        Instant requestedAt) {
}
