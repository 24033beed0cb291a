package dev.parley.webhook.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import dev.parley.common.Topics;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.webhook.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes the outbox ({@code webhook.endpoint.disabled} events) as binary-mode CloudEvents on
 * {@code parley.webhook.events}, deleting each row once Kafka acknowledged it, in the transaction that locked it.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    static final String SOURCE = "/parley/webhook-service";

    @Inject
    Transactions transactions;
    @Inject
    KafkaClients kafka;

    private final java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("webhook-outbox").unstarted(r));

    /** Publish soon rather than at the next sweep. */
    public void wake() {
        runner.execute(this::publish);
    }

    @Scheduled(every = "${parley.webhook.outbox.sweep-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        publish();
    }

    synchronized void publish() {
        try {
            transactions.run(connection -> {
                var sent = new ArrayList<UUID>();
                var pending = new ArrayList<Future<?>>();
                try (var query = connection.prepareStatement("""
                        SELECT id, tenant_id, event_type, record_key, payload, created_at FROM webhook_outbox
                        ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED""");
                        var rs = query.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        Instant time = rs.getTimestamp(6).toInstant();
                        var headers = cloudEventHeaders(id.toString(), rs.getString(3), rs.getString(4), time,
                                rs.getString(2));
                        pending.add(kafka.producer().send(new ProducerRecord<>(Topics.WEBHOOK_EVENTS, null,
                                rs.getString(4), rs.getString(5), headers)));
                        sent.add(id);
                    }
                }
                if (sent.isEmpty()) {
                    return null;
                }
                for (var future : pending) {
                    try {
                        future.get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("Kafka did not acknowledge an outbox event", e);
                    }
                }
                try (var delete = connection.prepareStatement("DELETE FROM webhook_outbox WHERE id = ANY (?::uuid[])")) {
                    delete.setArray(1, connection.createArrayOf("uuid", sent.toArray()));
                    delete.executeUpdate();
                }
                return null;
            });
        } catch (Exception e) {
            LOG.warnf("Publishing the webhook outbox failed, will retry: %s", e.toString());
        }
    }

    /** The binary-mode CloudEvents headers of an event this service publishes; {@code subject} may be null. */
    static RecordHeaders cloudEventHeaders(String id, String type, String subject, Instant time, String tenantId) {
        var headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", id);
        header(headers, "ce_type", type);
        header(headers, "ce_source", SOURCE);
        if (subject != null) {
            header(headers, "ce_subject", subject);
        }
        header(headers, "ce_time", time.toString());
        header(headers, "content-type", "application/json");
        header(headers, "ce_" + CloudEvents.TENANT_EXTENSION, tenantId);
        return headers;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
