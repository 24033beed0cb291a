package dev.parley.dialogue.messaging;

import java.io.IOException;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.InboundMessage;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.dialogue.service.DialogueService;
import io.smallrye.common.annotation.Blocking;

/**
 * The dialogue step of the turn pipeline. The reply keeps the incoming record's metadata, which carries the
 * requesting gateway's reply topic, partition and correlation id; acknowledging the reply commits the offset of
 * the user message. An unreadable record is refused and goes to the dead-letter topic; a database outage is
 * waited out, so no message is dropped.
 */
@ApplicationScoped
public class TurnProcessor {

    private static final String SOURCE = "/parley/dialogue-service";

    @Inject
    DialogueService dialogue;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.MESSAGES_INBOUND)
    @Outgoing(Topics.REPLIES)
    @Blocking
    public Message<String> onMessage(Message<String> incoming) throws IOException {
        InboundMessage message = parse(incoming.getPayload());
        var announced = handleWaitingOutOutages(message);
        BotReply reply = announced.reply();
        var metadata = CloudEvents.metadata(UUID.nameUUIDFromBytes(("reply:" + message.messageId()).getBytes())
                .toString(), EventTypes.BOT_REPLY, SOURCE, message.conversationId(), message.tenantId(),
                message.botId(), reply.repliedAt());
        // The reply goes at once; the user message is acknowledged (its offset committed) only when the reply and the
        // turn's dialogue events are all in Kafka. Events that Kafka refused fail the message like any other error.
        Message<String> outgoing = incoming.withPayload(json.writeValueAsString(reply))
                .withAck(() -> announced.published()
                        .handle((done, failure) -> failure == null ? incoming.ack() : incoming.nack(failure))
                        .thenCompose(settled -> settled))
                .withNack(failure -> incoming.nack(failure));
        for (Object item : metadata) {
            outgoing = outgoing.addMetadata(item);
        }
        return outgoing;
    }

    private DialogueService.Announced handleWaitingOutOutages(InboundMessage message) {
        try {
            return DatabaseOutages.waitOut(() -> dialogue.handleAndStartAnnouncing(message));
        } catch (SQLException refused) {
            throw new IllegalArgumentException("The database refused message " + message.messageId() + ": "
                    + refused.getMessage(), refused);
        }
    }

    InboundMessage parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("empty record");
        }
        try {
            InboundMessage message = json.readValue(value, InboundMessage.class);
            if (message.tenantId() == null || message.text() == null || message.acceptedAt() == null) {
                throw new IllegalArgumentException("tenantId, text and acceptedAt are required");
            }
            UUID.fromString(message.messageId());
            UUID.fromString(message.conversationId());
            return message;
        } catch (IOException e) {
            throw new IllegalArgumentException("not an InboundMessage: " + e.getMessage(), e);
        }
    }
}
