package dev.parley.session.service;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.BotMessage;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.InboundMessage;
import dev.parley.common.events.MessageReceived;
import dev.parley.common.events.MessageSent;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.ConversationView;
import dev.parley.session.Cursor;
import dev.parley.session.MessagePage;
import dev.parley.session.StoredMessage;
import dev.parley.session.messaging.EventPublisher;
import dev.parley.session.repository.OutboxEvent;
import dev.parley.session.repository.OutboxRepository;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;
import dev.parley.session.repository.TranscriptRepository;
import dev.parley.session.repository.TranscriptRepository.NewMessage;

/**
 * The transcript: stores each user and bot message exactly once (a redelivered record changes nothing) and
 * announces each stored message with one event, written to the outbox in the same transaction.
 */
@ApplicationScoped
public class TranscriptService {

    public static final int MAX_PAGE = 200;

    @Inject
    Transactions transactions;
    @Inject
    TranscriptRepository transcript;
    @Inject
    SessionRepository sessions;
    @Inject
    OutboxRepository outbox;
    @Inject
    EventPublisher publisher;
    @Inject
    ObjectMapper json;
    @Inject
    UserService users;
    @Inject
    dev.parley.session.repository.UserRepository userLocks;
    @Inject
    ErasureService erasures;
    @Inject
    LifecycleService lifecycle;

    public void storeUserMessages(List<InboundMessage> batch) throws SQLException {
        var now = SessionRepository.now();
        var rows = new ArrayList<NewMessage>(batch.size());
        var owners = new ArrayList<String>(batch.size());
        for (InboundMessage m : batch) {
            var id = UUID.fromString(m.messageId());
            rows.add(new NewMessage(id, UUID.fromString(m.conversationId()), m.tenantId(), "user", m.text(),
                    m.acceptedAt(), id, 0, null, null, details(null, null, m.metadata()), m.acceptedAt()));
            owners.add(m.userId());
        }
        store(rows, owners, (connection, i) -> {
            InboundMessage m = batch.get(i);
            var event = new MessageReceived(m.tenantId(), m.botId(), m.conversationId(), m.userId(), m.messageId(),
                    m.text(), m.metadata(), m.acceptedAt());
            var events = new ArrayList<OutboxEvent>(2);
            events.add(outboxEvent(EventTypes.MESSAGE_RECEIVED, m.messageId(), m.conversationId(), m.tenantId(),
                    m.botId(), event, now));
            if (m.userId() != null) {
                var updated = users.mergeFromMessage(connection, m.tenantId(), m.userId(), m.messageId(),
                        m.attributes(), now);
                if (updated != null) {
                    events.add(updated);
                }
            }
            return events;
        }, true, now);
    }

    public void storeReplies(List<BotReply> batch) throws SQLException {
        var now = SessionRepository.now();
        var rows = new ArrayList<NewMessage>();
        var owners = new ArrayList<String>();
        var events = new ArrayList<java.util.function.Supplier<OutboxEvent>>();
        var handoffs = new java.util.HashSet<UUID>();
        for (BotReply reply : batch) {
            var turnId = UUID.fromString(reply.inReplyTo());
            if (asksForHandoff(reply)) {
                handoffs.add(UUID.fromString(reply.conversationId()));
            }
            List<BotMessage> messages = reply.messages();
            for (int position = 0; position < messages.size(); position++) {
                BotMessage message = messages.get(position);
                boolean last = position == messages.size() - 1;
                rows.add(new NewMessage(UUID.fromString(message.messageId()), UUID.fromString(reply.conversationId()),
                        reply.tenantId(), "bot", message.text(), reply.turnAt(), turnId, position + 1, turnId,
                        reply.intent(),
                        last ? grounded(details(reply.quickReplies(), reply.suggestedActions(), reply.metadata()),
                                reply.sources()) : null,
                        reply.repliedAt()));
                owners.add(reply.userId());
                var event = new MessageSent(reply.tenantId(), reply.botId(), reply.conversationId(), reply.userId(),
                        message.messageId(), reply.inReplyTo(), message.text(), reply.intent(),
                        last ? reply.quickReplies() : List.of(), last ? reply.suggestedActions() : List.of(),
                        reply.repliedAt());
                events.add(() -> outboxEvent(EventTypes.MESSAGE_SENT, message.messageId(), reply.conversationId(),
                        reply.tenantId(), reply.botId(), event, now));
            }
        }
        store(rows, owners, (connection, i) -> {
            if (handoffs.remove(rows.get(i).conversationId())) {
                lifecycle.markHandoff(connection, rows.get(i).conversationId(), now);
            }
            return List.of(events.get(i).get());
        }, false, now);
    }

    /** A reply that offers the user a human (a {@code handoff} action, or {@code handoff: true} in its metadata). */
    static boolean asksForHandoff(BotReply reply) {
        if (reply.suggestedActions() != null
                && reply.suggestedActions().stream().anyMatch(a -> "handoff".equals(a.type()))) {
            return true;
        }
        return reply.metadata() != null && Boolean.TRUE.equals(reply.metadata().get("handoff"));
    }

    @FunctionalInterface
    interface EffectsOf {
        /** The outbox events (and any side effects) of the newly stored row {@code index}. */
        List<OutboxEvent> apply(java.sql.Connection connection, int index) throws SQLException;
    }

    /**
     * Stores the rows that are new, in one transaction that holds each owner's user lock: a row of a user whose
     * erasure has removed its conversation is dropped rather than stored or dead-lettered, so nothing of an
     * erased user comes back (see {@link ErasureService}).
     */
    private void store(List<NewMessage> rows, List<String> owners, EffectsOf effectsOf, boolean userMessages,
            java.time.Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<OutboxEvent> events = transactions.run(connection -> {
            Map<String, java.util.Set<String>> usersByTenant = new HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                if (owners.get(i) != null) {
                    usersByTenant.computeIfAbsent(rows.get(i).tenantId(), t -> new java.util.TreeSet<>())
                            .add(owners.get(i));
                }
            }
            for (var entry : new java.util.TreeMap<>(usersByTenant).entrySet()) {
                userLocks.lockShared(connection, entry.getKey(), entry.getValue());
            }
            var keep = erasures.keepable(connection, rows, owners);
            var kept = new ArrayList<NewMessage>(rows.size());
            var keptIndex = new ArrayList<Integer>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                if (keep[i]) {
                    kept.add(rows.get(i));
                    keptIndex.add(i);
                }
            }
            if (kept.isEmpty()) {
                return List.<OutboxEvent> of();
            }
            boolean[] inserted = transcript.insertNew(connection, kept);
            var announced = new ArrayList<OutboxEvent>();
            Map<UUID, Integer> perConversation = new HashMap<>();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i]) {
                    announced.addAll(effectsOf.apply(connection, keptIndex.get(i)));
                    perConversation.merge(kept.get(i).conversationId(), 1, Integer::sum);
                }
            }
            outbox.add(connection, announced);
            transcript.touchConversations(connection, perConversation, now);
            if (userMessages) {
                lifecycle.reopenOnMessage(connection, perConversation.keySet());
            }
            return announced;
        });
        publisher.publish(events);
    }

    public ConversationView conversation(String tenantId, String conversationId) throws SQLException {
        var id = SessionService.parseUuid(conversationId).orElseThrow(() -> notFound(conversationId));
        return transactions.run(connection -> sessions.findConversation(connection, tenantId, id))
                .orElseThrow(() -> notFound(conversationId));
    }

    /**
     * A page of the transcript: the newest messages without a cursor, the ones just before {@code before}, or the
     * ones just after {@code after}. Within a page, oldest first.
     */
    public MessagePage page(String tenantId, String conversationId, String before, String after, int limit)
            throws SQLException {
        if (before != null && after != null) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "Give either 'before' or 'after', not both");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "limit must be between 1 and " + MAX_PAGE);
        }
        var id = SessionService.parseUuid(conversationId).orElseThrow(() -> notFound(conversationId));
        Cursor beforeCursor = before == null ? null : Cursor.decode(before);
        Cursor afterCursor = after == null ? null : Cursor.decode(after);
        return transactions.run(connection -> {
            sessions.findConversation(connection, tenantId, id).orElseThrow(() -> notFound(conversationId));
            if (afterCursor != null) {
                var page = transcript.after(connection, id, afterCursor, limit + 1);
                boolean hasNewer = page.size() > limit;
                page = hasNewer ? page.subList(0, limit) : page;
                String newer = page.isEmpty() ? after : page.get(page.size() - 1).cursor();
                return new MessagePage(page, page.isEmpty() ? null : page.get(0).cursor(), newer, true, hasNewer);
            }
            var page = transcript.before(connection, id, beforeCursor, limit + 1);
            boolean hasOlder = page.size() > limit;
            page = hasOlder ? page.subList(1, page.size()) : page;
            String newer = page.isEmpty() ? before : page.get(page.size() - 1).cursor();
            return new MessagePage(page, hasOlder ? page.get(0).cursor() : null, newer, hasOlder,
                    beforeCursor != null);
        });
    }

    private static ProblemException notFound(String conversationId) {
        return new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
    }

    /** The knowledge passages the turn's answer is grounded in, kept with its last message. */
    private static Map<String, Object> grounded(Map<String, Object> details,
            List<dev.parley.common.events.KnowledgeSource> sources) {
        if (sources != null && !sources.isEmpty()) {
            details.put("sources", sources);
        }
        return details;
    }

    private static Map<String, Object> details(Object quickReplies, Object suggestedActions,
            Map<String, Object> metadata) {
        var details = new LinkedHashMap<String, Object>();
        if (quickReplies instanceof List<?> list && !list.isEmpty()) {
            details.put("quickReplies", list);
        }
        if (suggestedActions instanceof List<?> list && !list.isEmpty()) {
            details.put("suggestedActions", list);
        }
        if (metadata != null && !metadata.isEmpty()) {
            details.put("metadata", metadata);
        }
        return details;
    }

    private OutboxEvent outboxEvent(String type, String subjectId, String conversationId, String tenantId,
            String botId, Object payload, java.time.Instant now) {
        try {
            return new OutboxEvent(SessionService.eventId(type, subjectId), Topics.CONVERSATION_EVENTS, conversationId,
                    type, tenantId, botId, json.writeValueAsString(payload), now);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
