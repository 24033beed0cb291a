package dev.parley.session.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.session.service.TranscriptService;
import io.smallrye.common.annotation.Blocking;

/**
 * Feeds the transcript from Kafka. Offsets are committed after the method returns, that is after the batch is
 * committed to the database and its events are in the outbox.
 */
@ApplicationScoped
public class TranscriptConsumer {

    @Inject
    TranscriptService transcript;
    @Inject
    BatchProcessor processor;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.MESSAGES_INBOUND)
    @Blocking
    public void onUserMessages(ConsumerRecords<String, String> records) {
        processor.process(records, this::parseInbound, transcript::storeUserMessages);
    }

    @Incoming(Topics.REPLIES)
    @Blocking
    public void onReplies(ConsumerRecords<String, String> records) {
        processor.process(records, this::parseReply, transcript::storeReplies);
    }

    InboundMessage parseInbound(String value) {
        InboundMessage message = read(value, InboundMessage.class);
        require(message.tenantId() != null && message.text() != null && message.acceptedAt() != null,
                "tenantId, text and acceptedAt are required");
        uuid(message.messageId(), "messageId");
        uuid(message.conversationId(), "conversationId");
        return message;
    }

    BotReply parseReply(String value) {
        BotReply reply = read(value, BotReply.class);
        require(reply.tenantId() != null && reply.turnAt() != null && reply.messages() != null
                && reply.repliedAt() != null, "tenantId, turnAt, messages and repliedAt are required");
        uuid(reply.inReplyTo(), "inReplyTo");
        uuid(reply.conversationId(), "conversationId");
        reply.messages().forEach(m -> uuid(m.messageId(), "messages[].messageId"));
        return reply;
    }

    private <T> T read(String value, Class<T> type) {
        require(value != null, "empty record");
        try {
            return json.readValue(value, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static void uuid(String value, String field) {
        try {
            UUID.fromString(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " is not a UUID");
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(reason);
        }
    }
}
