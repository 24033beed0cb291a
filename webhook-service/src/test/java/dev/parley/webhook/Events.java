package dev.parley.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.parley.testsupport.KafkaBroker;

/** Produces binary-mode CloudEvents the way Parley's services do. */
public final class Events {

    private static KafkaProducer<String, String> producer;

    private Events() {
    }

    static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            var props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    /** Sends an event and returns its id. */
    public static String send(String topic, String tenantId, String type, String data) {
        return send(topic, UUID.randomUUID().toString(), tenantId, type, data);
    }

    public static String send(String topic, String id, String tenantId, String type, String data) {
        return send(topic, id, tenantId, type, data, UUID.randomUUID().toString());
    }

    /** Sends an event of the given conversation (the record key and {@code ce_conversationid}). */
    public static String send(String topic, String id, String tenantId, String type, String data, String conversation) {
        var headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(id));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("/parley/test"));
        headers.add("ce_time", bytes(Instant.now().toString()));
        headers.add("ce_tenantid", bytes(tenantId));
        headers.add("ce_conversationid", bytes(conversation));
        try {
            producer().send(new ProducerRecord<>(topic, null, conversation, data, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
