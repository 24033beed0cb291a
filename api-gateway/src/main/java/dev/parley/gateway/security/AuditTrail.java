package dev.parley.gateway.security;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.AuditRecorded;
import dev.parley.common.events.EventTypes;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The admin audit trail: every administrative change is published as {@code audit.recorded} on
 * {@code parley.audit}, keyed by tenant. Callers pass details that never contain a secret (a key's display prefix
 * at most).
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    @Inject
    @Channel(Topics.AUDIT)
    Emitter<String> out;
    @Inject
    ObjectMapper json;

    public void record(Caller actor, String action, String resourceType, String resourceId, Map<String, Object> details) {
        var event = new AuditRecorded(UUID.randomUUID().toString(), actor.tenantId(), actor.keyId(),
                actor.kind().name().toLowerCase(java.util.Locale.ROOT), action, resourceType, resourceId, details,
                Instant.now());
        var metadata = Metadata.of(OutgoingCloudEventMetadata.builder()
                .withId(event.auditId())
                .withType(EventTypes.AUDIT_RECORDED)
                .withSource(URI.create("/parley/api-gateway"))
                .withSubject(resourceType + "/" + resourceId)
                .withTimestamp(event.occurredAt().atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension("tenantid", actor.tenantId())
                .build(), OutgoingKafkaRecordMetadata.<String> builder().withKey(actor.tenantId()).build());
        try {
            out.send(Message.of(json.writeValueAsString(event), metadata).withNack(failure -> {
                LOG.errorf("Audit record %s (%s on %s/%s) could not be published: %s", event.auditId(), action,
                        resourceType, resourceId, failure.toString());
                return CompletableFuture.completedFuture(null);
            }));
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Audit record %s (%s on %s/%s) could not be published: %s", event.auditId(), action,
                    resourceType, resourceId, e.toString());
        }
    }
}
