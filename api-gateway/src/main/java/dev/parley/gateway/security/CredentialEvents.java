package dev.parley.gateway.security;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.CredentialChanged;
import dev.parley.common.events.EventTypes;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Tells every gateway replica that a key was revoked or rotated, so that none keeps accepting it from its cache.
 * Each replica reads {@code parley.gateway.credentials} with a consumer group of its own (a broadcast); the
 * replica that made the change evicts the key at once, the others within the time it takes Kafka to deliver.
 * Should the broadcast fail, the cache entry still expires after {@code parley.security.api-keys.cache-for}.
 */
@ApplicationScoped
public class CredentialEvents {

    private static final Logger LOG = Logger.getLogger(CredentialEvents.class);
    /** Outgoing channel to the same topic: one application cannot use a channel name for both directions. */
    static final String OUTGOING = "parley.gateway.credentials-out";

    @Inject
    @Channel(OUTGOING)
    Emitter<String> out;
    @Inject
    ApiKeys apiKeys;
    @Inject
    ObjectMapper json;

    public void announce(String tenantId, UUID keyId, String change) {
        apiKeys.evict(keyId);
        var event = new CredentialChanged(tenantId, keyId.toString(), change, Instant.now());
        var metadata = Metadata.of(OutgoingCloudEventMetadata.builder()
                .withId(UUID.randomUUID().toString())
                .withType(EventTypes.CREDENTIAL_CHANGED)
                .withSource(URI.create("/parley/api-gateway"))
                .withSubject(keyId.toString())
                .withTimestamp(event.changedAt().atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension("tenantid", tenantId)
                .build(), OutgoingKafkaRecordMetadata.<String> builder().withKey(tenantId).build());
        try {
            out.send(Message.of(json.writeValueAsString(event), metadata)
                    .withNack(failure -> {
                        LOG.warnf("Could not broadcast the %s of key %s; other replicas drop it from their caches "
                                + "when the entry expires: %s", change, keyId, failure.toString());
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not broadcast the %s of key %s: %s", change, keyId, e.toString());
        }
    }

    @Incoming(Topics.GATEWAY_CREDENTIALS)
    public void onChange(String payload) {
        try {
            var event = json.readValue(payload, CredentialChanged.class);
            apiKeys.evict(UUID.fromString(event.keyId()));
        } catch (IOException | RuntimeException unreadable) {
            LOG.warnf("Ignoring an unreadable credential change: %s", unreadable.toString());
        }
    }
}
