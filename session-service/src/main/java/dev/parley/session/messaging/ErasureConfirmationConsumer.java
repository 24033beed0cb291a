package dev.parley.session.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.ErasureConfirmed;
import dev.parley.session.service.ErasureService;
import io.smallrye.common.annotation.Blocking;

/** Records other services' confirmations of erasure requests. */
@ApplicationScoped
public class ErasureConfirmationConsumer {

    @Inject
    ErasureService erasures;
    @Inject
    BatchProcessor processor;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.ERASURE_CONFIRMATIONS)
    @Blocking
    public void onConfirmations(ConsumerRecords<String, String> records) {
        processor.process(records, this::parse, erasures::confirm);
    }

    ErasureConfirmed parse(String value) {
        try {
            var confirmed = json.readValue(value, ErasureConfirmed.class);
            if (confirmed.erasureId() == null || confirmed.tenantId() == null || confirmed.service() == null) {
                throw new IllegalArgumentException("erasureId, tenantId and service are required");
            }
            return confirmed;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not an ErasureConfirmed: " + e.getMessage(), e);
        }
    }
}
