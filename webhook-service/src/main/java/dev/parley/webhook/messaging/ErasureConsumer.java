package dev.parley.webhook.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.UserErased;
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

    private PollingConsumer loop;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        loop = new PollingConsumer("webhook-erasure-consumer", () -> kafka.newConsumer("-erasures",
                "webhook-service-erasures"), List.of(Topics.USER_ERASURES), Duration.ofMillis(500),
                records -> records.forEach(this::handle));
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
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
        var headers = OutboxPublisher.cloudEventHeaders(UUID.nameUUIDFromBytes(("erasure.confirmed:"
                + confirmed.erasureId() + ":" + confirmed.service()).getBytes(StandardCharsets.UTF_8)).toString(),
                EventTypes.ERASURE_CONFIRMED, null, confirmed.confirmedAt(), confirmed.tenantId());
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
}
