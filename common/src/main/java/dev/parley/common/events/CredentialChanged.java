package dev.parley.common.events;

import java.time.Instant;

/** A credential that every gateway replica must re-check: {@code change} is {@code revoked} or {@code rotated}. */
public record CredentialChanged(String tenantId, String keyId, String change, Instant changedAt) {
}
