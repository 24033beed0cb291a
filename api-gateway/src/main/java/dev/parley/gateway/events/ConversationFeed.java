package dev.parley.gateway.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.EventTypes;
import dev.parley.common.kafka.CloudEvents;

/**
 * The conversation events this gateway replica forwards to its SSE subscribers. Each replica reads the topics with
 * a consumer group of its own (a broadcast: every replica sees every conversation, from the newest offset), and
 * hands each record to the streams open for its conversation, in memory. Nothing is stored here: what a stream
 * missed while disconnected is replayed from session-service's transcript (see {@link ConversationReplay}).
 */
@ApplicationScoped
public class ConversationFeed {

    private static final Logger LOG = Logger.getLogger(ConversationFeed.class);

    /** Transcript and lifecycle events worth a stream; user.updated and conversation.started are not. */
    static final Set<String> CONVERSATION_TYPES = Set.of(EventTypes.MESSAGE_RECEIVED, EventTypes.MESSAGE_SENT,
            EventTypes.CONVERSATION_ENDED);
    /** Handoff status changes; intent.detected and bot-defined events stay with webhooks. */
    static final Set<String> DIALOGUE_TYPES = Set.of(EventTypes.HANDOFF_REQUESTED, EventTypes.HANDOFF_RELEASED);
    static final Set<String> STREAM_TYPES = Set.of(EventTypes.MESSAGE_DELTA);

    private final Map<String, Set<Subscription>> subscribers = new ConcurrentHashMap<>();

    @Inject
    ObjectMapper json;

    public Subscription subscribe(String tenantId, String conversationId, int capacity) {
        var subscription = new Subscription(tenantId, conversationId, capacity);
        subscribers.computeIfAbsent(conversationId, id -> new CopyOnWriteArraySet<>()).add(subscription);
        return subscription;
    }

    public void unsubscribe(Subscription subscription) {
        subscribers.computeIfPresent(subscription.conversationId(), (id, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
    }

    /** Open streams on this replica, for the gauge and tests. */
    public int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    @Incoming(Topics.CONVERSATION_EVENTS)
    public void onConversationEvents(ConsumerRecords<String, String> records) {
        routeAll(records, CONVERSATION_TYPES);
    }

    @Incoming(Topics.DIALOGUE_EVENTS)
    public void onDialogueEvents(ConsumerRecords<String, String> records) {
        routeAll(records, DIALOGUE_TYPES);
    }

    @Incoming(Topics.DIALOGUE_STREAM)
    public void onDeltas(ConsumerRecords<String, String> records) {
        routeAll(records, STREAM_TYPES);
    }

    private void routeAll(ConsumerRecords<String, String> records, Set<String> forwarded) {
        if (subscribers.isEmpty()) {
            return;
        }
        for (var record : records) {
            route(record, forwarded);
        }
    }

    private void route(ConsumerRecord<String, String> record, Set<String> forwarded) {
        String conversationId = record.key();
        if (conversationId == null || record.value() == null) {
            return;
        }
        Set<Subscription> open = subscribers.get(conversationId);
        if (open == null || open.isEmpty()) {
            return;
        }
        String type = header(record, "ce_type");
        if (type == null || !forwarded.contains(type)) {
            return;
        }
        String tenantId = header(record, "ce_" + CloudEvents.TENANT_EXTENSION);
        StreamEvent event;
        try {
            JsonNode data = json.readTree(record.value());
            if (!data.isObject()) {
                return;
            }
            if (tenantId == null) {
                tenantId = data.path("tenantId").asText(null);
            }
            String messageId = EventTypes.MESSAGE_RECEIVED.equals(type) || EventTypes.MESSAGE_SENT.equals(type)
                    ? data.path("messageId").asText(null) : null;
            event = new StreamEvent(type, messageId, json.writeValueAsString(data));
        } catch (IOException | RuntimeException unreadable) {
            LOG.debugf("Not forwarding an unreadable %s record of conversation %s: %s", type, conversationId,
                    unreadable.toString());
            return;
        }
        for (Subscription subscription : open) {
            // Conversation ids are unique, but a stream never shows another tenant's event whatever a producer sent.
            if (tenantId != null && tenantId.equals(subscription.tenantId())) {
                subscription.offer(event);
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
