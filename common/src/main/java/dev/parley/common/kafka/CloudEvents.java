package dev.parley.common.kafka;

import java.net.URI;
import java.time.Instant;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Builds the metadata that makes an outgoing record a binary-mode CloudEvent keyed by conversation id.
 * Extension attributes {@code tenantid} and {@code conversationid} let consumers route without
 * parsing the body.
 */
public final class CloudEvents {

    public static final String TENANT_EXTENSION = "tenantid";
    public static final String CONVERSATION_EXTENSION = "conversationid";
    public static final String BOT_EXTENSION = "botid";

    private CloudEvents() {
    }

    /**
     * @param id      event id; deterministic for a given effect so that a re-published event is deduped downstream
     * @param source  the producing service, for example {@code /parley/session-service}
     * @param key     Kafka record key, the conversation id for conversation topics
     */
    public static <T> Message<T> message(T payload, String id, String type, String source, String key,
            String tenantId, String botId, Instant time) {
        return Message.of(payload, metadata(id, type, source, key, tenantId, botId, time));
    }

    /** The CloudEvent and record-key metadata alone, to add to a message derived from an incoming one. */
    public static Metadata metadata(String id, String type, String source, String key, String tenantId, String botId,
            Instant time) {
        var ce = OutgoingCloudEventMetadata.builder()
                .withId(id)
                .withType(type)
                .withSource(URI.create(source))
                .withSubject(key)
                .withTimestamp(time.atZone(java.time.ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension(TENANT_EXTENSION, tenantId)
                .withExtension(CONVERSATION_EXTENSION, key);
        if (botId != null) {
            ce = ce.withExtension(BOT_EXTENSION, botId);
        }
        return Metadata.of(ce.build(), OutgoingKafkaRecordMetadata.<String> builder().withKey(key).build());
    }
}
