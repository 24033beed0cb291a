package dev.parley.session;

import java.time.Instant;
import java.util.List;

/**
 * An erasure request and its progress.
 *
 * @param status {@code in_progress} until every listed service has confirmed, then {@code completed}
 */
public record ErasureView(String erasureId, String userId, String status, Instant requestedAt, Instant completedAt,
        List<ServiceProgress> services) {

    /** @param status {@code pending} or {@code confirmed} */
    public record ServiceProgress(String service, String status, Instant confirmedAt, Long itemsErased) {
    }
}
