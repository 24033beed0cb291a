package dev.parley.dialogue.messaging;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.DialogueEvent;
import dev.parley.common.kafka.CloudEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes dialogue events as CloudEvents. A turn's events are sent together, in order (one conversation is one
 * partition), and acknowledged together; the turn processor acknowledges the user message only once they are, so
 * nothing is lost, without holding the reply for them. Event ids derive from the message (or request) and the
 * position, so a repeated publish after a crash carries the same ids.
 */
@ApplicationScoped
public class DialogueEventPublisher {

    private static final String SOURCE = "/parley/dialogue-service";

    @Inject
    @Channel(Topics.DIALOGUE_EVENTS)
    MutinyEmitter<String> emitter;
    @Inject
    ObjectMapper json;

    /** Publishes and waits until Kafka has every event. */
    public void publish(String origin, List<DialogueEvent> events) {
        publishAsync(origin, events).toCompletableFuture().join();
    }

    /** Publishes; the stage completes when Kafka has every event (exceptionally if it refused one). */
    public CompletionStage<Void> publishAsync(String origin, List<DialogueEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        var sends = new ArrayList<Uni<Void>>(events.size());
        for (int i = 0; i < events.size(); i++) {
            var event = events.get(i);
            String id = UUID.nameUUIDFromBytes(("event:" + origin + ":" + i).getBytes()).toString();
            var metadata = CloudEvents.metadata(id, event.type(), SOURCE, event.conversationId(), event.tenantId(),
                    event.botId(), event.occurredAt());
            Message<String> message = Message.of(write(event));
            for (Object item : metadata) {
                message = message.addMetadata(item);
            }
            sends.add(emitter.sendMessage(message));
        }
        // Joined Unis are subscribed in list order, so the records reach the producer in event order.
        return Uni.join().all(sends).andFailFast().replaceWithVoid().subscribeAsCompletionStage();
    }

    private String write(DialogueEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
