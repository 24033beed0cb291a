package dev.parley.knowledge.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.KnowledgeCommand;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.knowledge.KnowledgeDocument;

/**
 * Sends ingestion commands after the document is committed as pending. A command Kafka does not acknowledge is not
 * lost: the document stays pending and {@link PendingSweeper} requests it again.
 */
@ApplicationScoped
public class CommandPublisher {

    private static final Logger LOG = Logger.getLogger(CommandPublisher.class);
    private static final String SOURCE = "/parley/knowledge-service";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * This service both produces and consumes the command topic, and a channel cannot be both; the outgoing one is
     * the topic's name plus {@code -out} (configured with {@code topic=parley.knowledge.commands}).
     */
    static final String OUTGOING = Topics.KNOWLEDGE_COMMANDS + "-out";

    @Inject
    @Channel(OUTGOING)
    Emitter<String> commands;
    @Inject
    ObjectMapper json;

    /** @return the ids of the documents whose command Kafka acknowledged */
    public List<UUID> requestIngestion(List<KnowledgeDocument> documents) {
        var acks = new ArrayList<CompletableFuture<Void>>(documents.size());
        for (KnowledgeDocument document : documents) {
            var command = new KnowledgeCommand(document.id() + ":" + document.version(), KnowledgeCommand.INGEST,
                    document.tenantId(), document.id().toString(), document.version(), Instant.now());
            var ack = new CompletableFuture<Void>();
            acks.add(ack);
            try {
                commands.send(CloudEvents.message(json.writeValueAsString(command), command.commandId(),
                        KnowledgeCommand.EVENT_TYPE, SOURCE, command.documentId(), command.tenantId(), document.botId(),
                        command.requestedAt())
                        .withAck(() -> {
                            ack.complete(null);
                            return CompletableFuture.completedFuture(null);
                        })
                        .withNack(failure -> {
                            ack.completeExceptionally(failure);
                            return CompletableFuture.completedFuture(null);
                        }));
            } catch (JsonProcessingException | RuntimeException e) {
                ack.completeExceptionally(e);
            }
        }
        var sent = new ArrayList<UUID>(documents.size());
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(documents.get(i).id());
            } catch (Exception e) {
                LOG.warnf("Ingestion of document %s not requested yet (%s); the sweeper will request it again",
                        documents.get(i).id(), e.getClass().getSimpleName());
            }
        }
        return sent;
    }
}
