package dev.parley.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's webhook endpoint. The secrets are ciphertexts; see {@code SecretBox}. {@code ordering} is
 * {@value #ORDERING_NONE} or {@value #ORDERING_CONVERSATION} (the deliveries of one conversation go one after the
 * other, in event order).
 */
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
        Instant updatedAt,
        String ordering) {

    public static final String ORDERING_NONE = "none";
    public static final String ORDERING_CONVERSATION = "conversation";

    public boolean orderedByConversation() {
        return ORDERING_CONVERSATION.equals(ordering);
    }
}
