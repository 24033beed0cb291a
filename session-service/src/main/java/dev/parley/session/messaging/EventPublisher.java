package dev.parley.session.messaging;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import dev.parley.common.Topics;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.session.repository.OutboxEvent;
import dev.parley.session.repository.OutboxRepository;

/**
 * Publishes outbox events to Kafka and removes them from the outbox once Kafka has acknowledged them. Events
 * that are not acknowledged stay and are published again by {@link OutboxSweeper}; their ids do not change, so
 * consumers dedupe the second copy.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final String SOURCE = "/parley/session-service";
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    @Channel(Topics.CONVERSATION_EVENTS)
    Emitter<String> conversationEvents;

    @Inject
    @Channel(Topics.USER_ERASURES)
    Emitter<String> erasureCommands;

    @Inject
    OutboxRepository outbox;

    /** Sends the events, waits for Kafka to acknowledge them, and deletes the acknowledged ones from the outbox. */
    public void publish(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        var delivered = send(events);
        try (var connection = outbox.connection()) {
            outbox.delete(connection, delivered);
        } catch (java.sql.SQLException e) {
            // Harmless: the sweeper publishes them again and consumers dedupe on the event id.
            LOG.warnf("Could not clear %d published events from the outbox: %s", delivered.size(), e.getMessage());
        }
    }

    /**
     * Conversation events carry the conversation id as subject and extension; events about a user (keyed by the
     * user id) and erasure commands carry no conversation.
     */
    private static org.eclipse.microprofile.reactive.messaging.Message<String> message(OutboxEvent event) {
        if (!event.type().startsWith("user.")) {
            return CloudEvents.message(event.payload(), event.id().toString(), event.type(), SOURCE, event.key(),
                    event.tenantId(), event.botId(), event.createdAt());
        }
        var ce = io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata.builder()
                .withId(event.id().toString())
                .withType(event.type())
                .withSource(java.net.URI.create(SOURCE))
                .withSubject(event.key())
                .withTimestamp(event.createdAt().atZone(java.time.ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension(CloudEvents.TENANT_EXTENSION, event.tenantId())
                .build();
        return org.eclipse.microprofile.reactive.messaging.Message.of(event.payload(),
                org.eclipse.microprofile.reactive.messaging.Metadata.of(ce,
                        io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata.<String> builder()
                                .withKey(event.key()).build()));
    }

    /** Sends the events and returns the ids of those Kafka acknowledged within {@link #ACK_TIMEOUT}. */
    public List<UUID> send(List<OutboxEvent> events) {
        var acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent event = events.get(i);
            var ack = new CompletableFuture<Void>();
            acks[i] = ack;
            var message = message(event)
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        ack.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    });
            (Topics.USER_ERASURES.equals(event.topic()) ? erasureCommands : conversationEvents).send(message);
        }
        var delivered = new java.util.ArrayList<UUID>(events.size());
        for (int i = 0; i < acks.length; i++) {
            try {
                acks[i].get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                delivered.add(events.get(i).id());
            } catch (Exception e) {
                LOG.warnf("Event %s not acknowledged yet (%s); the outbox sweeper will send it again",
                        events.get(i).id(), e.getClass().getSimpleName());
            }
        }
        return delivered;
    }
}
