package dev.parley.common.events;

import java.time.Instant;

/**
 * {@code erasure.confirmed}, on {@code parley.erasure.confirmations}: a service has erased (committed the deletion
 * of) everything it held about the user named by a {@link UserErased} command. Publish it only after the deletion
 * is durable; publishing it twice is harmless.
 *
 * @param service        the confirming service's name, e.g. {@code dialogue-service}
 * @param itemsErased    how many records were removed (informational; 0 when the service held nothing)
 */
public record ErasureConfirmed(
        String erasureId,
        String tenantId,
        String userId,
        String service,
        long itemsErased,
        Instant confirmedAt) {
}
