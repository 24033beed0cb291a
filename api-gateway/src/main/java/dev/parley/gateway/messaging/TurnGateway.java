package dev.parley.gateway.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.InboundMessage;
import dev.parley.common.kafka.CloudEvents;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.config.GatewayConfig;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReplyTimeoutException;

/**
 * Publishes a user message and waits, for a bounded time, for the bot's reply (Kafka request/reply). A message
 * Kafka has acknowledged is accepted whatever happens next: when the reply is late the caller learns so, and the
 * reply still reaches the history and the event streams.
 */
@ApplicationScoped
public class TurnGateway {

    private static final Logger LOG = Logger.getLogger(TurnGateway.class);
    private static final String SOURCE = "/parley/api-gateway";
    /** How long to wait for Kafka to acknowledge a message whose reply did not come in time. */
    private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(15);

    /** The reply, or none when it did not come within the wait bound (the message was accepted all the same). */
    public record Outcome(BotReply reply) {
        public boolean answered() {
            return reply != null;
        }
    }

    @Inject
    @Channel(Topics.MESSAGES_INBOUND)
    KafkaRequestReply<String, String> requestReply;
    @Inject
    ObjectMapper json;
    @Inject
    GatewayConfig config;

    public Outcome send(InboundMessage inbound) {
        var accepted = new CompletableFuture<Void>();
        Message<String> request = CloudEvents.message(write(inbound), inbound.messageId(), EventTypes.MESSAGE_INBOUND,
                SOURCE, inbound.conversationId(), inbound.tenantId(), inbound.botId(), inbound.acceptedAt())
                .withAck(() -> {
                    accepted.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    accepted.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            Message<String> reply = requestReply.request(request).await()
                    .atMost(Duration.ofMillis(config.gateway().replyWaitMillis() + 1_000));
            return new Outcome(json.readValue(reply.getPayload(), BotReply.class));
        } catch (KafkaRequestReplyTimeoutException | io.smallrye.mutiny.TimeoutException late) {
            return awaitAcceptance(inbound, accepted);
        } catch (IOException unreadable) {
            LOG.errorf("Unreadable reply to message %s: %s", inbound.messageId(), unreadable.getMessage());
            return awaitAcceptance(inbound, accepted);
        } catch (RuntimeException failure) {
            if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
                LOG.warnf("Waiting for the reply to %s failed (%s); the message is accepted", inbound.messageId(),
                        failure.toString());
                return new Outcome(null);
            }
            throw unavailable(inbound, failure);
        }
    }

    private Outcome awaitAcceptance(InboundMessage inbound, CompletableFuture<Void> accepted) {
        try {
            accepted.get(ACCEPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(null);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(inbound, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(inbound, e);
        }
    }

    private static ProblemException unavailable(InboundMessage inbound, Exception cause) {
        LOG.errorf("Message %s could not be published: %s", inbound.messageId(), cause.toString());
        return new ProblemException(ProblemCode.UNAVAILABLE,
                "The message could not be accepted right now; retry shortly");
    }

    private String write(InboundMessage inbound) {
        try {
            return json.writeValueAsString(inbound);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
