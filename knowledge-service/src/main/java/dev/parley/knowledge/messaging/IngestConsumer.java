package dev.parley.knowledge.messaging;

import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.KnowledgeCommand;
import dev.parley.knowledge.service.Ingestor;
import io.smallrye.common.annotation.Blocking;

/**
 * Ingests documents as their commands arrive. The offset is committed after the method returns, that is after the
 * chunks are committed; an unreadable command goes to the dead-letter topic, a database outage is waited out.
 */
@ApplicationScoped
public class IngestConsumer {

    @Inject
    Ingestor ingestor;
    @Inject
    DeadLetters deadLetters;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.KNOWLEDGE_COMMANDS)
    @Blocking
    public void onCommand(ConsumerRecord<String, String> record) {
        KnowledgeCommand command;
        try {
            command = json.readValue(record.value(), KnowledgeCommand.class);
            if (!KnowledgeCommand.INGEST.equals(command.type()) || command.tenantId() == null) {
                throw new IllegalArgumentException("not an ingest command");
            }
            UUID.fromString(command.documentId());
        } catch (Exception e) {
            deadLetters.send(record, "unreadable: " + e.getMessage());
            return;
        }
        try {
            ingestor.ingest(command);
        } catch (SQLException | RuntimeException e) {
            // Outages were waited out inside; what is left is this command's own problem, not the partition's.
            deadLetters.send(record, "could not ingest: " + e.getMessage());
        }
    }
}
