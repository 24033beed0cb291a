package dev.parley.dialogue.messaging;

import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.EventTypes;
import dev.parley.common.kafka.CloudEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes {@code erasure.confirmed} and waits for Kafka to take it. */
@ApplicationScoped
public class ErasureConfirmationPublisher {

    private static final String SOURCE = "/parley/dialogue-service";

    @Inject
    @Channel(Topics.ERASURE_CONFIRMATIONS)
    MutinyEmitter<String> emitter;
    @Inject
    ObjectMapper json;

    public void publish(ErasureConfirmed confirmed) {
        String id = java.util.UUID.nameUUIDFromBytes(("erasure.confirmed:" + confirmed.erasureId() + ":"
                + confirmed.service()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        String body;
        try {
            body = json.writeValueAsString(confirmed);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        var metadata = CloudEvents.metadata(id, EventTypes.ERASURE_CONFIRMED, SOURCE,
                confirmed.tenantId() + ":" + confirmed.userId(), confirmed.tenantId(), null, confirmed.confirmedAt());
        Message<String> message = Message.of(body);
        for (Object item : metadata) {
            message = message.addMetadata(item);
        }
        emitter.sendMessageAndAwait(message);
    }
}
