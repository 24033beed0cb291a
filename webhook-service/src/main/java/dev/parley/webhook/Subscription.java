package dev.parley.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's webhook endpoint. The secrets are ciphertexts; see {@code SecretBox}. */
public record Subscription(
        UUID id,
        String tenantId,
        String url,
        List<String> eventTypes,
        String description,
        String secretCiphertext,
        String previousSecretCiphertext,
        Instant previousSecretExpiresAt,
        Integer rateLimitPerSecond,
        boolean enabled,
        String disabledReason,
        Instant disabledAt,
        Instant failingSince,
        Instant createdAt,
        Instant updatedAt) {
}
