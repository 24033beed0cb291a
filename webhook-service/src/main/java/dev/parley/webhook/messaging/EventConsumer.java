package dev.parley.webhook.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.common.Topics;
import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.webhook.delivery.Dispatcher;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.DeliveryRepository.IncomingEvent;
import dev.parley.webhook.repository.Transactions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads every event topic and records, per event, one delivery for each matching subscription of the event's tenant.
 * The offsets of a poll are committed only after those deliveries are committed to PostgreSQL, so a crash at any
 * point loses nothing (the records come again and the unique key makes the second copy a no-op). Records that can
 * never be routed go to the dead-letter topic; an outage of the database is waited out.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    @Inject
    KafkaClients kafka;
    @Inject
    Transactions transactions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    Dispatcher dispatcher;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "parley.webhook.consumer.enabled", defaultValue = "true")
    boolean enabled;

    private PollingConsumer loop;

    /** Every topic whose events can be fanned out to webhooks. */
    public static List<String> topics() {
        var topics = new ArrayList<>(List.of(Topics.EVENT_TOPICS));
        topics.add(Topics.WEBHOOK_EVENTS);
        return topics;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        loop = new PollingConsumer("webhook-event-consumer", kafka::newConsumer, topics(), Duration.ofMillis(200),
                records -> store(inRecordOrder(records)));
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }

    /**
     * The records of a poll in the order their deliveries join conversation lines: each partition's records in
     * offset order (one conversation is one partition of a topic, so this is its event order), the partitions merged
     * by record time (the order of one conversation's events on different topics).
     */
    static List<ConsumerRecord<String, String>> inRecordOrder(Iterable<ConsumerRecord<String, String>> records) {
        var byPartition = new java.util.LinkedHashMap<String, java.util.ArrayDeque<ConsumerRecord<String, String>>>();
        int count = 0;
        for (var record : records) {
            byPartition.computeIfAbsent(record.topic() + "-" + record.partition(), p -> new java.util.ArrayDeque<>())
                    .add(record);
            count++;
        }
        var result = new ArrayList<ConsumerRecord<String, String>>(count);
        if (byPartition.size() == 1) {
            result.addAll(byPartition.values().iterator().next());
            return result;
        }
        // Merge: always take the partition whose next record is the oldest (ties: the partition met first).
        var queues = new ArrayList<>(byPartition.values());
        while (result.size() < count) {
            java.util.ArrayDeque<ConsumerRecord<String, String>> oldest = null;
            for (var queue : queues) {
                if (!queue.isEmpty() && (oldest == null || queue.peek().timestamp() < oldest.peek().timestamp())) {
                    oldest = queue;
                }
            }
            result.add(oldest.poll());
        }
        return result;
    }

    void store(List<ConsumerRecord<String, String>> records) {
        var events = new ArrayList<IncomingEvent>(records.size());
        var sources = new ArrayList<ConsumerRecord<String, String>>(records.size());
        for (var record : records) {
            try {
                events.add(parse(record));
                sources.add(record);
            } catch (IllegalArgumentException e) {
                deadLetter(record, "unreadable: " + e.getMessage());
            }
        }
        if (events.isEmpty()) {
            return;
        }
        try {
            recordWaitingOutOutages(events);
        } catch (SQLException batchFailure) {
            for (int i = 0; i < events.size(); i++) {
                try {
                    recordWaitingOutOutages(List.of(events.get(i)));
                } catch (SQLException e) {
                    deadLetter(sources.get(i), "refused by the database: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Records the deliveries and hands those the dispatcher has room for straight to it once they are committed:
     * new work then costs no claim and no wait for the claimer.
     */
    private void recordWaitingOutOutages(List<IncomingEvent> events) throws SQLException {
        var recorded = DatabaseOutages.waitOut(() -> transactions.run(
                connection -> deliveries.record(connection, events, dispatcher.handOffRoom())));
        dispatcher.handOff(recorded.handedOff());
        if (recorded.inserted() > recorded.handedOff().size()) {
            dispatcher.wake();
        }
    }

    IncomingEvent parse(ConsumerRecord<String, String> record) {
        String id = header(record, "ce_id");
        String type = header(record, "ce_type");
        String tenant = header(record, "ce_" + CloudEvents.TENANT_EXTENSION);
        if (id == null || type == null) {
            throw new IllegalArgumentException("not a binary-mode CloudEvent (ce_id and ce_type are required)");
        }
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("no ce_tenantid: the event cannot be routed to a tenant");
        }
        if (record.value() == null) {
            throw new IllegalArgumentException("empty record");
        }
        Instant time = Instant.ofEpochMilli(record.timestamp());
        String ceTime = header(record, "ce_time");
        if (ceTime != null) {
            try {
                time = OffsetDateTime.parse(ceTime).toInstant();
            } catch (RuntimeException unreadable) {
                // keep the record's timestamp
            }
        }
        JsonNode data;
        try {
            data = json.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("data is not JSON: " + e.getMessage());
        }
        String body = body(type, time, data);
        String user = text(data, "userId");
        String conversation = text(data, "conversationId") != null ? text(data, "conversationId")
                : conversationId(record);
        return new IncomingEvent(id, tenant, type, webhookId(tenant, id), body, time, user, conversation);
    }

    /**
     * The conversation an event belongs to: its {@code ce_conversationid} extension, else the record key on the
     * conversation topics (keyed by conversation id); null for events of no conversation.
     */
    static String conversationId(ConsumerRecord<String, String> record) {
        String conversation = header(record, "ce_" + CloudEvents.CONVERSATION_EXTENSION);
        if (conversation == null || conversation.isBlank()) {
            conversation = List.of(Topics.EVENT_TOPICS).contains(record.topic()) ? record.key() : null;
        }
        return conversation == null || conversation.isBlank() ? null : conversation;
    }

    /** A top-level text field of the event's data: whom the event is about (docs/erasure.md). */
    private static String text(JsonNode data, String field) {
        var value = data == null ? null : data.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** The Standard Webhooks body: {@code {type, timestamp, data}}. */
    String body(String type, Instant time, JsonNode data) {
        try {
            ObjectNode body = json.createObjectNode();
            body.put("type", type);
            body.put("timestamp", time.toString());
            body.set("data", data);
            return json.writeValueAsString(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("data is not JSON: " + e.getMessage());
        }
    }

    /** The same on every attempt and replay of this event, so receivers can dedupe. */
    public static String webhookId(String tenantId, String eventId) {
        return "msg_" + UUID.nameUUIDFromBytes((tenantId + "/" + eventId).getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    void deadLetter(ConsumerRecord<String, String> record, String reason) {
        LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        var headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-consumer", "webhook-service".getBytes(StandardCharsets.UTF_8));
        try {
            kafka.producer().send(new ProducerRecord<>(Topics.DEAD_LETTER, null, record.key(), record.value(), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Not committing is the safe answer: the record comes back and is judged again.
            throw new IllegalStateException("Could not write a dead letter for " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), e);
        }
    }
}
