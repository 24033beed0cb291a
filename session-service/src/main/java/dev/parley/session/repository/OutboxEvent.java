package dev.parley.session.repository;

import java.time.Instant;
import java.util.UUID;

/** An event waiting in the outbox. {@code payload} is the JSON body of the CloudEvent. */
public record OutboxEvent(UUID id, String topic, String key, String type, String tenantId, String botId,
        String payload, Instant createdAt) {
}
