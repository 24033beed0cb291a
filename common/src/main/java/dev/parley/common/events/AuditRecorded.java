package dev.parley.common.events;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the admin audit trail ({@code audit.recorded} on {@code parley.audit}): who ({@code actor}, a
 * credential id and its kind) did what ({@code action}, e.g. {@code api_key.created}) to which resource, when.
 * {@code details} never holds a secret.
 */
public record AuditRecorded(String auditId, String tenantId, String actorId, String actorKind, String action,
        String resourceType, String resourceId, Map<String, Object> details, Instant occurredAt) {
}
