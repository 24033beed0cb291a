package dev.parley.dialogue.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.MessageDelta;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.dialogue.config.StreamConfig;

/**
 * Publishes the pieces of a bot answer to {@code parley.dialogue.stream} while a language model generates it, so
 * that the gateway can show them on the conversation's event stream before the reply is stored. Fire-and-forget:
 * a delta that Kafka refuses is dropped (with a gap in {@code index}), never retried and never in the way of the
 * turn; the reply and its {@code message.sent} carry the whole text whatever happened to the deltas.
 */
@ApplicationScoped
public class TokenStreamPublisher {

    private static final Logger LOG = Logger.getLogger(TokenStreamPublisher.class);
    private static final String SOURCE = "/parley/dialogue-service";

    @Inject
    @Channel(Topics.DIALOGUE_STREAM)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    Emitter<String> emitter;
    @Inject
    ObjectMapper json;
    @Inject
    StreamConfig config;

    /** Where a generated bot message goes: the ids it will have once stored. */
    public record Target(String tenantId, String botId, String conversationId, String messageId, String inReplyTo) {
    }

    /**
     * Runs {@code generation} with a consumer of the answer's text pieces (null when streaming is off: then the
     * provider is called without streaming) and ends the message's deltas with a final one, whatever the outcome.
     */
    public <T> T streaming(Target target, Function<Consumer<String>, T> generation) {
        if (!config.enabled()) {
            return generation.apply(null);
        }
        var deltas = new Deltas(target, config.flushInterval().toNanos(), config.flushChars(), System::nanoTime,
                this::send);
        try {
            return generation.apply(deltas);
        } finally {
            deltas.finish();
        }
    }

    private void send(MessageDelta delta) {
        String id = UUID.nameUUIDFromBytes(("delta:" + delta.messageId() + ":" + delta.index())
                .getBytes(StandardCharsets.UTF_8)).toString();
        try {
            Message<String> message = Message.of(json.writeValueAsString(delta))
                    .withNack(failure -> {
                        LOG.debugf("Delta %d of message %s dropped: %s", delta.index(), delta.messageId(),
                                failure.toString());
                        return CompletableFuture.completedFuture(null);
                    });
            for (Object item : CloudEvents.metadata(id, EventTypes.MESSAGE_DELTA, SOURCE, delta.conversationId(),
                    delta.tenantId(), delta.botId(), delta.sentAt())) {
                message = message.addMetadata(item);
            }
            emitter.send(message);
        } catch (IOException | RuntimeException e) {
            // Full buffer or a broker away: the final message still carries the text.
            LOG.debugf("Delta %d of message %s dropped: %s", delta.index(), delta.messageId(), e.toString());
        }
    }

    /**
     * Coalesces the pieces of one message into deltas: the first piece goes at once (the user sees the answer
     * start), later ones when {@code intervalNanos} has passed since the last delta or {@code maxChars} are waiting.
     * Checked as pieces arrive; whatever is left goes with the final delta.
     */
    public static final class Deltas implements Consumer<String> {
        private final Target target;
        private final long intervalNanos;
        private final int maxChars;
        private final LongSupplier clock;
        private final Consumer<MessageDelta> sink;
        private final StringBuilder pending = new StringBuilder();
        private int index;
        private long lastSent;
        private boolean sentAny;
        private boolean finished;

        public Deltas(Target target, long intervalNanos, int maxChars, LongSupplier clock,
                Consumer<MessageDelta> sink) {
            this.target = target;
            this.intervalNanos = intervalNanos;
            this.maxChars = Math.max(1, maxChars);
            this.clock = clock;
            this.sink = sink;
        }

        @Override
        public synchronized void accept(String piece) {
            if (finished || piece == null || piece.isEmpty()) {
                return;
            }
            pending.append(piece);
            long now = clock.getAsLong();
            if (!sentAny || pending.length() >= maxChars || now - lastSent >= intervalNanos) {
                flush(false, now);
            }
        }

        /** Sends what is left as the final delta (empty when nothing is left); later pieces are ignored. */
        public synchronized void finish() {
            if (!finished) {
                flush(true, clock.getAsLong());
                finished = true;
            }
        }

        private void flush(boolean last, long now) {
            String text = pending.toString();
            pending.setLength(0);
            sentAny = true;
            lastSent = now;
            sink.accept(new MessageDelta(target.tenantId(), target.botId(), target.conversationId(),
                    target.messageId(), target.inReplyTo(), index++, text, last,
                    Instant.now().truncatedTo(ChronoUnit.MICROS)));
        }
    }
}
