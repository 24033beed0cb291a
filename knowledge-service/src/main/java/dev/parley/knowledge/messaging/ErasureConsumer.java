package dev.parley.knowledge.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.UserErased;
import dev.parley.common.kafka.CloudEvents;
import io.smallrye.common.annotation.Blocking;

/**
 * knowledge-service's answer to {@code user.erased}. Documents and chunks belong to a tenant's bots, never to an end
 * user: no table of this service has a user column, and search queries are neither stored nor logged. There is
 * nothing to erase, so every command is confirmed with {@code itemsErased: 0} (again on a redelivery). The command's
 * offset is committed only once Kafka holds the confirmation; an unreadable command goes to the dead-letter topic.
 */
@ApplicationScoped
public class ErasureConsumer {

    public static final String SERVICE = "knowledge-service";
    private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);
    private static final String SOURCE = "/parley/knowledge-service";

    @Inject
    @Channel(Topics.ERASURE_CONFIRMATIONS)
    Emitter<String> confirmations;
    @Inject
    DeadLetters deadLetters;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.USER_ERASURES)
    @Blocking
    public void onCommand(ConsumerRecord<String, String> record) {
        UserErased command;
        try {
            command = json.readValue(record.value(), UserErased.class);
            if (command.erasureId() == null || command.tenantId() == null || command.userId() == null) {
                throw new IllegalArgumentException("erasureId, tenantId and userId are required");
            }
        } catch (Exception e) {
            deadLetters.send(record, "unreadable: " + e.getMessage());
            return;
        }
        confirm(new ErasureConfirmed(command.erasureId(), command.tenantId(), command.userId(), SERVICE, 0,
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        LOG.infof("Erasure %s: knowledge-service holds no data about users; confirmed", command.erasureId());
    }

    /** Publishes the confirmation and returns once Kafka holds it. */
    void confirm(ErasureConfirmed confirmed) {
        var sent = new CompletableFuture<Void>();
        try {
            String id = UUID.nameUUIDFromBytes(("erasure.confirmed:" + confirmed.erasureId() + ":" + SERVICE)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            confirmations.send(CloudEvents.message(json.writeValueAsString(confirmed), id, EventTypes.ERASURE_CONFIRMED,
                    SOURCE, confirmed.tenantId() + ":" + confirmed.userId(), confirmed.tenantId(), null,
                    confirmed.confirmedAt())
                    .withAck(() -> {
                        sent.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        sent.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
            sent.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Not committing the offset is the safe answer: the command comes back and is confirmed then.
            throw new IllegalStateException("Could not confirm erasure " + confirmed.erasureId(), e);
        }
    }
}
