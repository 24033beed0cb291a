package dev.parley.webhook.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;

/** The order in which a poll's records join conversation lines, and which conversation a record belongs to. */
class RecordOrderTest {

    static ConsumerRecord<String, String> record(String topic, int partition, long offset, long timestamp, String key,
            String conversationHeader) {
        var headers = new RecordHeaders();
        if (conversationHeader != null) {
            headers.add("ce_conversationid", conversationHeader.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME, 0, 0, key,
                topic + "/" + partition + "@" + offset, headers, Optional.empty());
    }

    @Test
    void partitionsKeepOffsetOrderAndAreMergedByRecordTime() {
        var c0 = record(Topics.CONVERSATION_EVENTS, 0, 10, 1_000, "a", null);
        var c1 = record(Topics.CONVERSATION_EVENTS, 0, 11, 900, "a", null); // an older timestamp later in the log
        var c2 = record(Topics.CONVERSATION_EVENTS, 0, 12, 1_300, "a", null);
        var d0 = record(Topics.DIALOGUE_EVENTS, 0, 5, 950, "a", null);
        var d1 = record(Topics.DIALOGUE_EVENTS, 0, 6, 1_200, "a", null);
        var ordered = EventConsumer.inRecordOrder(List.of(c0, c1, c2, d0, d1));
        assertEquals(List.of(d0, c0, c1, d1, c2), ordered,
                "each partition in offset order, whichever partition's next record is older goes first");
        assertEquals(List.of(c0, c1, c2), EventConsumer.inRecordOrder(List.of(c0, c1, c2)));
        var tie = record(Topics.DIALOGUE_EVENTS, 0, 7, 1_000, "a", null);
        assertEquals(List.of(c0, tie), EventConsumer.inRecordOrder(List.of(c0, tie)), "ties: the partition met first");
    }

    @Test
    void theConversationIsTheExtensionElseTheKeyOfAConversationTopic() {
        assertEquals("c-1", EventConsumer.conversationId(record(Topics.CONVERSATION_EVENTS, 0, 1, 1, "key", "c-1")));
        assertEquals("key", EventConsumer.conversationId(record(Topics.DIALOGUE_EVENTS, 0, 1, 1, "key", null)));
        assertEquals("key", EventConsumer.conversationId(record(Topics.DIALOGUE_EVENTS, 0, 1, 1, "key", " ")));
        assertNull(EventConsumer.conversationId(record(Topics.WEBHOOK_EVENTS, 0, 1, 1, "subscription-id", null)),
                "webhook.* events are keyed by subscription: no conversation");
        assertNull(EventConsumer.conversationId(record(Topics.CONVERSATION_EVENTS, 0, 1, 1, null, null)));
    }
}
