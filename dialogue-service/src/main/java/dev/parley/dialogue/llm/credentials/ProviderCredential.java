package dev.parley.dialogue.llm.credentials;

import java.time.Instant;

/** What may be shown about a stored provider key: never the key itself. */
public record ProviderCredential(String name, String provider, Instant createdAt, Instant updatedAt) {
}
