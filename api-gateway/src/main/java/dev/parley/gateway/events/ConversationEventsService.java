package dev.parley.gateway.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.events.EventTypes;
import dev.parley.common.events.MessageReceived;
import dev.parley.common.events.MessageSent;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.Backends;
import dev.parley.gateway.client.ConversationInfo;
import dev.parley.gateway.client.TranscriptMessage;
import dev.parley.gateway.config.EventsConfig;
import dev.parley.gateway.security.Caller;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * {@code GET /v1/conversations/{id}/events}: the caller's right to the conversation is checked before the stream
 * starts (so a refusal is a problem+json response, not a broken stream); then each stream subscribes to the feed,
 * replays what the client missed since its {@code Last-Event-ID} (or, on a fresh connect, anything stored between
 * the check and the subscription), announces {@code stream.ready} and forwards live events, with a comment line
 * when idle. Each stream is written by a virtual thread of its own that only takes events when the client is
 * ready for them; a client that cannot keep up overruns its bounded inbox and is sent {@code stream.resync}.
 */
@ApplicationScoped
public class ConversationEventsService {

    private static final Logger LOG = Logger.getLogger(ConversationEventsService.class);
    public static final String READY = "stream.ready";
    public static final String RESYNC = "stream.resync";
    /** Message ids remembered per stream to drop the duplicates of at-least-once delivery and replay overlap. */
    private static final int REMEMBERED = 256;

    @Inject
    Backends backends;
    @Inject
    ConversationFeed feed;
    @Inject
    ConversationReplay replay;
    @Inject
    EventsConfig config;
    @Inject
    ObjectMapper json;

    /** Checks the caller may read the conversation (404 as if it did not exist otherwise), then opens the stream. */
    public Multi<OutboundSseEvent> open(Caller caller, String conversationId, String lastEventId, Sse sse) {
        if (!caller.may(Caller.CONVERSATIONS_READ)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + Caller.CONVERSATIONS_READ);
        }
        if (!caller.mayAccessConversation(conversationId)) {
            throw new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND, "Conversation " + conversationId + " not found");
        }
        ConversationInfo.WithPage found = backends.conversation(caller.tenantId(), conversationId, 1);
        List<TranscriptMessage> newest = found.page() == null || found.page().messages() == null ? List.of()
                : found.page().messages();
        ResumePoint current = newest.isEmpty() ? ResumePoint.START
                : new ResumePoint(newest.get(newest.size() - 1).messageId());
        var stream = new Stream(caller.tenantId(), found.conversation(), current, lastEventId, sse);
        return Multi.createFrom().emitter(emitter -> {
            stream.subscription = feed.subscribe(caller.tenantId(), conversationId, config.bufferSize());
            Thread writer = Thread.ofVirtual().name("sse-" + conversationId).unstarted(() -> stream.run(emitter));
            emitter.onTermination(() -> {
                stream.closed = true;
                feed.unsubscribe(stream.subscription);
                writer.interrupt();
            });
            writer.start();
        });
    }

    private final class Stream {
        final String tenantId;
        final ConversationInfo conversation;
        final String lastEventId;
        final Sse sse;
        final LinkedHashSet<String> sent = new LinkedHashSet<>();
        ResumePoint position;
        volatile Subscription subscription;
        volatile boolean closed;

        Stream(String tenantId, ConversationInfo conversation, ResumePoint current, String lastEventId, Sse sse) {
            this.tenantId = tenantId;
            this.conversation = conversation;
            this.position = current;
            this.lastEventId = lastEventId;
            this.sse = sse;
        }

        void run(MultiEmitter<? super OutboundSseEvent> emitter) {
            try {
                catchUp(emitter);
                long heartbeatMillis = config.heartbeat().toMillis();
                while (!closed && !emitter.isCancelled()) {
                    if (subscription.overrun()) {
                        send(emitter, event(RESYNC, Map.of("conversationId", conversation.conversationId(),
                                "reason", "too_slow")));
                        emitter.complete();
                        return;
                    }
                    if (emitter.requested() <= 0) {
                        // The client has not taken what was written: wait, and let the inbox fill instead.
                        Thread.sleep(10);
                        continue;
                    }
                    StreamEvent next = subscription.next(heartbeatMillis, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        emitter.emit(sse.newEventBuilder().comment("keep-alive").build());
                    } else {
                        forward(emitter, next);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.debugf("Stream of conversation %s ended: %s", conversation.conversationId(), e.toString());
                    emitter.fail(e);
                }
            }
        }

        /** Replays what the client missed, or tells it to reload history, then says the stream is live. */
        private void catchUp(MultiEmitter<? super OutboundSseEvent> emitter) {
            ResumePoint from = position;
            boolean resync = false;
            if (lastEventId != null) {
                var named = ResumePoint.decode(lastEventId);
                if (named.isPresent()) {
                    from = named.get();
                } else {
                    resync = true;
                }
            }
            var missed = resync ? java.util.Optional.<List<TranscriptMessage>> empty()
                    : replay.after(tenantId, conversation.conversationId(), from, config.replayLimit());
            if (missed.isEmpty()) {
                // The position is unknown or too old: the client reloads the history, which ends at `position`.
                send(emitter, event(RESYNC, Map.of("conversationId", conversation.conversationId(),
                        "reason", "position_unknown")));
            } else {
                position = from;
                for (TranscriptMessage message : missed.get()) {
                    forward(emitter, replayed(message));
                }
            }
            var ready = new LinkedHashMap<String, Object>();
            ready.put("conversationId", conversation.conversationId());
            ready.put("status", conversation.status());
            ready.put("replayed", missed.map(List::size).orElse(0));
            send(emitter, event(READY, ready));
        }

        private void forward(MultiEmitter<? super OutboundSseEvent> emitter, StreamEvent event) {
            if (event.messageId() != null) {
                if (!sent.add(event.messageId())) {
                    return;
                }
                if (sent.size() > REMEMBERED) {
                    sent.remove(sent.iterator().next());
                }
                position = new ResumePoint(event.messageId());
            }
            send(emitter, event);
        }

        private void send(MultiEmitter<? super OutboundSseEvent> emitter, StreamEvent event) {
            emitter.emit(sse.newEventBuilder().id(position.encode()).name(event.type())
                    .data(String.class, event.data()).build());
        }

        private StreamEvent event(String type, Map<String, Object> data) {
            return new StreamEvent(type, null, write(data));
        }

        /** A stored message as the live event that announced it. */
        private StreamEvent replayed(TranscriptMessage message) {
            if ("user".equals(message.role())) {
                return new StreamEvent(EventTypes.MESSAGE_RECEIVED, message.messageId(), write(new MessageReceived(
                        tenantId, conversation.botId(), conversation.conversationId(), conversation.userId(),
                        message.messageId(), message.text(), message.metadata(), message.createdAt())));
            }
            return new StreamEvent(EventTypes.MESSAGE_SENT, message.messageId(), write(new MessageSent(tenantId,
                    conversation.botId(), conversation.conversationId(), conversation.userId(), message.messageId(),
                    message.inReplyTo(), message.text(), message.intent(), message.quickReplies(),
                    message.suggestedActions(), message.createdAt())));
        }

        private String write(Object value) {
            try {
                return json.writeValueAsString(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
