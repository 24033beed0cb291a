package dev.parley.webhook.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.UserErased;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.webhook.service.ErasureService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads {@code user.erased} commands, erases the user here and publishes {@code erasure.confirmed}. The offsets of a
 * poll are committed only after every erasure of it is committed and confirmed, so a crash repeats a command
 * (which erases nothing more and confirms again). An unreadable command goes to the dead-letter topic; an outage of
 * the database is waited out.
 */
@ApplicationScoped
public class ErasureConsumer {

    private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);

    @Inject
    KafkaClients kafka;
    @Inject
    ErasureService erasures;
    @Inject
    EventConsumer events;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "parley.webhook.consumer.enabled", defaultValue = "true")
    boolean enabled;

    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        running = true;
        startConsumer();
    }

    private void startConsumer() {
        consumer = kafka.newConsumer("-erasures", "webhook-service-erasures");
        thread = Thread.ofPlatform().daemon().name("webhook-erasure-consumer").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try (var c = consumer) {
            c.subscribe(java.util.List.of(Topics.USER_ERASURES));
            while (running) {
                var records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                for (var record : records) {
                    handle(record);
                }
                c.commitSync();
            }
        } catch (WakeupException stopping) {
            // shutdown
        } catch (RuntimeException e) {
            LOG.errorf(e, "The erasure consumer stopped; commands after the last committed offset come again");
            if (running) {
                startConsumer();
            }
        }
    }

    void handle(ConsumerRecord<String, String> record) {
        UserErased command;
        try {
            command = parse(record.value());
        } catch (IllegalArgumentException e) {
            events.deadLetter(record, "unreadable: " + e.getMessage());
            return;
        }
        ErasureConfirmed confirmed;
        try {
            confirmed = DatabaseOutages.waitOut(() -> erasures.erase(command));
        } catch (SQLException refused) {
            events.deadLetter(record, "refused by the database: " + refused.getMessage());
            return;
        }
        publish(confirmed);
    }

    /** Publishes the confirmation and waits for Kafka to take it. */
    void publish(ErasureConfirmed confirmed) {
        var headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", UUID.nameUUIDFromBytes(("erasure.confirmed:" + confirmed.erasureId() + ":"
                + confirmed.service()).getBytes(StandardCharsets.UTF_8)).toString());
        header(headers, "ce_type", EventTypes.ERASURE_CONFIRMED);
        header(headers, "ce_source", OutboxPublisher.SOURCE);
        header(headers, "ce_time", confirmed.confirmedAt().toString());
        header(headers, "content-type", "application/json");
        header(headers, "ce_" + CloudEvents.TENANT_EXTENSION, confirmed.tenantId());
        try {
            kafka.producer().send(new ProducerRecord<>(Topics.ERASURE_CONFIRMATIONS, null,
                    confirmed.tenantId() + ":" + confirmed.userId(), json.writeValueAsString(confirmed), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Not committing is the safe answer: the command comes back, erases nothing more and confirms again.
            throw new IllegalStateException("Could not confirm erasure " + confirmed.erasureId(), e);
        }
    }

    UserErased parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("empty record");
        }
        try {
            var command = json.readValue(value, UserErased.class);
            if (command.erasureId() == null || command.tenantId() == null || command.userId() == null
                    || command.requestedAt() == null) {
                throw new IllegalArgumentException("erasureId, tenantId, userId and requestedAt are required");
            }
            return command;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a UserErased: " + e.getMessage(), e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
