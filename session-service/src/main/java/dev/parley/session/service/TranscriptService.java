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

    public void storeUserMessages(List<InboundMessage> batch) throws SQLException {
        var now = SessionRepository.now();
        var rows = new ArrayList<NewMessage>(batch.size());
        for (InboundMessage m : batch) {
            var id = UUID.fromString(m.messageId());
            rows.add(new NewMessage(id, UUID.fromString(m.conversationId()), m.tenantId(), "user", m.text(),
                    m.acceptedAt(), id, 0, null, null, details(null, null, m.metadata()), m.acceptedAt()));
        }
        store(rows, i -> {
            InboundMessage m = batch.get(i);
            var event = new MessageReceived(m.tenantId(), m.botId(), m.conversationId(), m.userId(), m.messageId(),
                    m.text(), m.metadata(), m.acceptedAt());
            return outboxEvent(EventTypes.MESSAGE_RECEIVED, m.messageId(), m.conversationId(), m.tenantId(),
                    m.botId(), event, now);
        }, now);
    }

    public void storeReplies(List<BotReply> batch) throws SQLException {
        var now = SessionRepository.now();
        var rows = new ArrayList<NewMessage>();
        var events = new ArrayList<java.util.function.Supplier<OutboxEvent>>();
        for (BotReply reply : batch) {
            var turnId = UUID.fromString(reply.inReplyTo());
            List<BotMessage> messages = reply.messages();
            for (int position = 0; position < messages.size(); position++) {
                BotMessage message = messages.get(position);
                boolean last = position == messages.size() - 1;
                rows.add(new NewMessage(UUID.fromString(message.messageId()), UUID.fromString(reply.conversationId()),
                        reply.tenantId(), "bot", message.text(), reply.turnAt(), turnId, position + 1, turnId,
                        reply.intent(),
                        last ? details(reply.quickReplies(), reply.suggestedActions(), reply.metadata()) : null,
                        reply.repliedAt()));
                var event = new MessageSent(reply.tenantId(), reply.botId(), reply.conversationId(), reply.userId(),
                        message.messageId(), reply.inReplyTo(), message.text(), reply.intent(),
                        last ? reply.quickReplies() : List.of(), last ? reply.suggestedActions() : List.of(),
                        reply.repliedAt());
                events.add(() -> outboxEvent(EventTypes.MESSAGE_SENT, message.messageId(), reply.conversationId(),
                        reply.tenantId(), reply.botId(), event, now));
            }
        }
        store(rows, i -> events.get(i).get(), now);
    }

    private void store(List<NewMessage> rows, java.util.function.IntFunction<OutboxEvent> eventFor,
            java.time.Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<OutboxEvent> events = transactions.run(connection -> {
            boolean[] inserted = transcript.insertNew(connection, rows);
            var announced = new ArrayList<OutboxEvent>();
            Map<UUID, Integer> perConversation = new HashMap<>();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i]) {
                    announced.add(eventFor.apply(i));
                    perConversation.merge(rows.get(i).conversationId(), 1, Integer::sum);
                }
            }
            outbox.add(connection, announced);
            transcript.touchConversations(connection, perConversation, now);
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
