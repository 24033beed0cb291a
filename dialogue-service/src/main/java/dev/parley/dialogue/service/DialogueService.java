package dev.parley.dialogue.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.events.BotMessage;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.common.events.Intent;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.config.DialogueConfig;
import dev.parley.dialogue.repository.DialogueRepository;
import dev.parley.dialogue.repository.DialogueRepository.State;

/**
 * One turn: recognise the intent of a user message, answer with that intent's response (or the fallback when
 * nothing matches well enough), and advance the conversation's dialogue state. A message handled before gets
 * the same reply again and changes nothing.
 */
@ApplicationScoped
public class DialogueService {

    private static final Logger LOG = Logger.getLogger(DialogueService.class);
    public static final String FALLBACK_INTENT = "fallback";

    @Inject
    BotRegistry registry;
    @Inject
    DialogueRepository repository;
    @Inject
    DialogueConfig config;
    @Inject
    NluService nlu;
    @Inject
    ObjectMapper json;

    public BotReply handle(InboundMessage message) throws SQLException {
        var messageId = UUID.fromString(message.messageId());
        var conversationId = UUID.fromString(message.conversationId());
        try (var connection = repository.connection()) {
            connection.setAutoCommit(false);
            try {
                var done = repository.processedReply(connection, messageId);
                if (done.isPresent()) {
                    connection.rollback();
                    return read(done.get());
                }
                var state = repository.state(connection, conversationId);
                var bot = state.isPresent()
                        ? registry.version(message.tenantId(), state.get().botId(), state.get().botVersion())
                        : registry.latest(message.tenantId(), message.botId());
                if (bot.isEmpty()) {
                    connection.rollback();
                    LOG.warnf("No bot %s for tenant %s; message %s gets no answer", message.botId(),
                            message.tenantId(), message.messageId());
                    return reply(message, List.of(), null, new BotDefinition.Response(null, null, null),
                            Map.of("error", "bot_not_found"));
                }
                var current = state.orElse(new State(conversationId, message.tenantId(), bot.get().botId(),
                        bot.get().version(), 0, 0, null));
                var turn = answer(bot.get(), current, message);
                var now = Instant.now();
                if (!repository.markProcessed(connection, messageId, conversationId, write(turn.reply()), now)) {
                    connection.rollback();
                    return read(repository.processedReply(connection, messageId).orElseThrow());
                }
                repository.saveState(connection, turn.next(), now);
                connection.commit();
                return turn.reply();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private record Turn(BotReply reply, State next) {
    }

    private Turn answer(CompiledBot bot, State state, InboundMessage message) {
        var analysis = nlu.parse(bot, message.text());
        var best = analysis.intent();
        boolean understood = best != null && !analysis.outOfScope()
                && bot.definition().intents().containsKey(best.intent());
        BotDefinition.Response response;
        Intent intent;
        if (understood) {
            response = bot.definition().intents().get(best.intent()).response();
            intent = new Intent(best.intent(), best.confidence());
        } else {
            response = bot.definition().fallback() == null ? new BotDefinition.Response(
                    List.of("Sorry, I did not understand that."), null, null) : bot.definition().fallback();
            intent = new Intent(FALLBACK_INTENT, round(best == null ? 1 : 1 - best.confidence()));
        }
        List<String> variants = response.responses();
        String text = variants.isEmpty() ? "" : variants.get(state.turns() % variants.size());
        var messages = text.isEmpty() ? List.<BotMessage> of()
                : List.of(new BotMessage(botMessageId(message.messageId(), 0), text));
        var metadata = Map.<String, Object> of("botVersion", bot.version(), "turn", state.turns() + 1, "nluEngine",
                analysis.engine());
        var reply = reply(message, messages, understood ? new Intent(intent.name(), round(intent.confidence())) : intent,
                response, metadata);
        var next = new State(state.conversationId(), state.tenantId(), state.botId(), state.botVersion(),
                state.turns() + 1, understood ? 0 : state.misses() + 1, intent.name());
        return new Turn(reply, next);
    }

    private static BotReply reply(InboundMessage message, List<BotMessage> messages, Intent intent,
            BotDefinition.Response response, Map<String, Object> metadata) {
        return new BotReply(message.messageId(), message.tenantId(), message.botId(), message.conversationId(),
                message.sessionId(), message.userId(), message.acceptedAt(), messages, intent, response.quickReplies(),
                response.suggestedActions(), metadata, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** Bot message ids derive from the user message, so a recomputed reply would carry the same ids. */
    static String botMessageId(String userMessageId, int index) {
        return UUID.nameUUIDFromBytes(("bot:" + userMessageId + ":" + index).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    private String write(BotReply reply) {
        try {
            return json.writeValueAsString(reply);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private BotReply read(String stored) {
        try {
            return json.readValue(stored, BotReply.class);
        } catch (IOException e) {
            throw new IllegalStateException("A stored reply is unreadable", e);
        }
    }
}
