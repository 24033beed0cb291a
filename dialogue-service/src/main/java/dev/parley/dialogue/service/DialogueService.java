package dev.parley.dialogue.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.events.BotMessage;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.DialogueEvent;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.InboundMessage;
import dev.parley.common.events.Intent;
import dev.parley.dialogue.client.FulfillmentClient;
import dev.parley.dialogue.config.DialogueConfig;
import dev.parley.dialogue.flow.FlowEngine;
import dev.parley.dialogue.flow.FlowState;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.llm.ChatMessage;
import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.ResponseGenerator;
import dev.parley.dialogue.llm.Task;
import dev.parley.dialogue.messaging.DialogueEventPublisher;
import dev.parley.dialogue.messaging.TokenStreamPublisher;
import dev.parley.dialogue.repository.DialogueRepository;
import dev.parley.dialogue.repository.DialogueRepository.State;
import dev.parley.dialogue.repository.ErasureRepository;

/**
 * One turn: recognise the intent of a user message, let the flow engine decide the answer (a flow step, the
 * intent's response, the fallback, or a handoff), advance the conversation's dialogue state, and announce the
 * turn's events. While a human has the conversation the bot stays silent. A message handled before gets the same
 * reply and the same events again and changes nothing.
 */
@ApplicationScoped
public class DialogueService {

    private static final Logger LOG = Logger.getLogger(DialogueService.class);
    public static final String FALLBACK_INTENT = "fallback";
    private static final TypeReference<List<DialogueEvent>> EVENT_LIST = new TypeReference<>() {
    };

    @Inject
    BotRegistry registry;
    @Inject
    DialogueRepository repository;
    @Inject
    NluService nlu;
    @Inject
    ObjectMapper json;
    @Inject
    FulfillmentClient fulfillment;
    @Inject
    DialogueEventPublisher events;
    @Inject
    ResponseGenerator responses;
    @Inject
    ErasureRepository erasures;
    @Inject
    KnowledgeAnswers knowledge;
    @Inject
    TokenStreamPublisher tokenStream;

    private FlowEngine engine;

    @jakarta.annotation.PostConstruct
    void init() {
        // Fallback policy: the knowledge base first, then a language model, then the fallback message.
        engine = new FlowEngine(fulfillment, (bot, turn) -> knowledge.answer(bot, turn).or(() -> generate(bot, turn)));
    }

    /**
     * The fallback policy's middle step: a bot with a language model route for answer generation lets it answer
     * what the intents do not cover; the local engine stands in when every provider fails, and says nothing when
     * it has nothing relevant.
     */
    private Optional<FlowEngine.Answer> generate(BotDefinition bot, FlowEngine.Turn turn) {
        if (bot.models().routeFor(Task.ANSWER_GENERATION).isEmpty()) {
            return Optional.empty();
        }
        var request = new LlmRequest("You are " + (bot.name() == null ? "a support assistant" : bot.name())
                + ". Answer briefly and only with what you know to be true; say you don't know otherwise.",
                List.of(ChatMessage.user(turn.text())), 300, null, List.of(), null);
        // The generated answer is the turn's only message (nothing is said before it), so it gets id index 0; its
        // pieces are streamed under that id as the model writes them.
        var target = new TokenStreamPublisher.Target(turn.tenantId(), bot.id(), turn.conversationId(),
                botMessageId(turn.messageId(), 0), turn.messageId());
        var answer = tokenStream.streaming(target, tokens -> responses.stream(turn.tenantId(), bot.models(),
                Task.ANSWER_GENERATION, request, tokens)).response();
        if (answer.finishReason() == FinishReason.NO_ANSWER || answer.text().isBlank()) {
            return Optional.empty();
        }
        // Asked without sources, the model cites none; knowledge answers come from KnowledgeAnswers.
        return Optional.of(new FlowEngine.Answer(answer.text(), List.of(), answer.provider() + ":" + answer.model()));
    }

    /** The turn's reply and the events to publish once it is stored. */
    public record Handled(BotReply reply, List<DialogueEvent> events) {
    }

    /** Handles the message, then publishes its events and waits for Kafka to have them; the caller sends the reply. */
    public BotReply handleAndAnnounce(InboundMessage message) throws SQLException {
        var announced = handleAndStartAnnouncing(message);
        announced.published().toCompletableFuture().join();
        return announced.reply();
    }

    /**
     * Handles the message and starts publishing its events; the stage completes when Kafka has them. The reply can
     * go meanwhile, as long as the message is acknowledged only after the stage.
     */
    public Announced handleAndStartAnnouncing(InboundMessage message) throws SQLException {
        var handled = handle(message);
        return new Announced(handled.reply(), events.publishAsync(message.messageId(), handled.events()));
    }

    /** A turn's reply and the publication of its events under way. */
    public record Announced(BotReply reply, java.util.concurrent.CompletionStage<Void> published) {
    }

    public Handled handle(InboundMessage message) throws SQLException {
        var messageId = UUID.fromString(message.messageId());
        var conversationId = UUID.fromString(message.conversationId());
        try (var connection = repository.connection()) {
            connection.setAutoCommit(false);
            try {
                // Holds the user's lock until commit: an erasure of the user waits for this turn, or this turn
                // finds its tombstone and writes nothing (docs/erasure.md). The tombstone check, the processed
                // check and the state are then read in one round trip, after the locks.
                erasures.lockShared(connection, message.tenantId(), message.userId(), conversationId);
                var start = repository.turnStart(connection, messageId, conversationId, message.tenantId(),
                        message.userId(), message.acceptedAt());
                if (start.erased()) {
                    connection.rollback();
                    LOG.debugf("Message %s belongs to an erased user or conversation; nothing is stored",
                            message.messageId());
                    return new Handled(reply(message, List.of(), null, null, null, Map.of("error", "user_erased")),
                            List.of());
                }
                if (start.processed().isPresent()) {
                    connection.rollback();
                    return read(start.processed().get());
                }
                var state = start.state();
                var bot = state.isPresent()
                        ? registry.version(message.tenantId(), state.get().botId(), state.get().botVersion())
                        : registry.latest(message.tenantId(), message.botId());
                if (bot.isEmpty()) {
                    connection.rollback();
                    LOG.warnf("No bot %s for tenant %s; message %s gets no answer", message.botId(),
                            message.tenantId(), message.messageId());
                    return new Handled(reply(message, List.of(), null, null, null, Map.of("error", "bot_not_found")),
                            List.of());
                }
                var current = state.orElse(new State(conversationId, message.tenantId(), bot.get().botId(),
                        bot.get().version(), 0, 0, null, DialogueRepository.ACTIVE, null));
                var turn = current.inHandoff() ? silent(bot.get(), current, message) : answer(bot.get(), current, message);
                var now = Instant.now();
                if (!repository.markProcessed(connection, messageId, conversationId, message.tenantId(),
                        message.userId(), write(turn.reply()), write(turn.events()), now)) {
                    connection.rollback();
                    return read(repository.processed(connection, messageId).orElseThrow());
                }
                repository.saveState(connection, turn.next(), message.userId(), now);
                connection.commit();
                return new Handled(turn.reply(), turn.events());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private record Turn(BotReply reply, State next, List<DialogueEvent> events) {
    }

    /** A human has the conversation: the message is stored by the session service; the bot says nothing. */
    private Turn silent(CompiledBot bot, State state, InboundMessage message) {
        var metadata = Map.<String, Object> of("botVersion", bot.version(), "turn", state.turns() + 1,
                "status", DialogueRepository.HANDOFF);
        var next = new State(state.conversationId(), state.tenantId(), state.botId(), state.botVersion(),
                state.turns() + 1, state.misses(), state.lastIntent(), state.status(), state.flow());
        return new Turn(reply(message, List.of(), null, null, null, metadata), next, List.of());
    }

    private Turn answer(CompiledBot bot, State state, InboundMessage message) {
        var analysis = nlu.parse(bot, message.text(),
                ErasureRepository.owner(message.tenantId(), message.userId(), message.conversationId()));
        var best = analysis.intent();
        boolean understood = best != null && !analysis.outOfScope()
                && bot.definition().intents().containsKey(best.intent());
        var understanding = new FlowEngine.Understanding(best == null ? null : best.intent(),
                best == null ? 0 : best.confidence(), understood);
        var result = engine.respond(bot.definition(), new FlowEngine.Turn(message.tenantId(),
                message.conversationId(), message.messageId(), message.text(), understanding, readFlow(state.flow()),
                state.turns(), state.misses(), message.attributes() == null ? Map.of() : message.attributes()));

        var messages = new ArrayList<BotMessage>();
        for (String text : result.texts()) {
            messages.add(new BotMessage(botMessageId(message.messageId(), messages.size()), text));
        }
        Intent intent = understood ? new Intent(best.intent(), round(best.confidence()))
                : new Intent(FALLBACK_INTENT, round(best == null ? 1 : 1 - best.confidence()));
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("botVersion", bot.version());
        metadata.put("turn", state.turns() + 1);
        metadata.put("nluEngine", analysis.engine());
        metadata.put("status", result.handoff() ? DialogueRepository.HANDOFF : DialogueRepository.ACTIVE);
        if (result.flow() != null) {
            metadata.put("flow", result.flow().flow());
            metadata.put("slots", result.flow().slots());
        }
        if (result.outcome() != null) {
            metadata.put("outcome", result.outcome());
        }
        if (result.generated() != null) {
            metadata.put("generatedBy", result.generated().generatedBy());
        }
        var reply = reply(message, messages, intent, result.quickReplies(), result.suggestedActions(), metadata)
                .withSources(result.generated() == null ? List.of() : result.generated().sources());

        var raised = new ArrayList<DialogueEvent>();
        var now = reply.repliedAt();
        if (understood) {
            raised.add(event(EventTypes.INTENT_DETECTED, message, bot,
                    Map.of("intent", intent.name(), "confidence", intent.confidence()), now));
        }
        for (var event : result.events()) {
            raised.add(event(event.type(), message, bot, event.data(), now));
        }
        var next = new State(state.conversationId(), state.tenantId(), state.botId(), state.botVersion(),
                state.turns() + 1, result.misses(), intent.name(),
                result.handoff() ? DialogueRepository.HANDOFF : DialogueRepository.ACTIVE, writeFlow(result.flow()));
        return new Turn(reply, next, raised);
    }

    private static DialogueEvent event(String type, InboundMessage message, CompiledBot bot, Map<String, Object> data,
            Instant at) {
        return new DialogueEvent(type, message.tenantId(), bot.botId(), message.conversationId(), message.userId(),
                message.messageId(), data, at);
    }

    /**
     * Hands the conversation to a human, or gives it back to the bot. Returns the new status, or empty when the
     * tenant has no such conversation.
     */
    public Optional<String> setHandoff(String tenantId, UUID conversationId, boolean toHuman, String reason)
            throws SQLException {
        DialogueEvent announced;
        try (var connection = repository.connection()) {
            connection.setAutoCommit(false);
            var state = repository.state(connection, conversationId, true);
            if (state.isEmpty() || !state.get().tenantId().equals(tenantId)) {
                connection.rollback();
                return Optional.empty();
            }
            var current = state.get();
            String status = toHuman ? DialogueRepository.HANDOFF : DialogueRepository.ACTIVE;
            if (current.status().equals(status)) {
                connection.rollback();
                return Optional.of(status);
            }
            var now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            repository.saveState(connection, new State(current.conversationId(), current.tenantId(), current.botId(),
                    current.botVersion(), current.turns(), 0, current.lastIntent(), status,
                    toHuman ? null : current.flow()), now);
            connection.commit();
            announced = new DialogueEvent(toHuman ? EventTypes.HANDOFF_REQUESTED : EventTypes.HANDOFF_RELEASED,
                    tenantId, current.botId(), conversationId.toString(), null, null,
                    Map.of("reason", reason == null ? "api" : reason), now);
        }
        events.publish(conversationId + ":" + announced.type() + ":" + announced.occurredAt(), List.of(announced));
        return Optional.of(announced.type().equals(EventTypes.HANDOFF_REQUESTED) ? DialogueRepository.HANDOFF
                : DialogueRepository.ACTIVE);
    }

    /** The dialogue state of a conversation as the API shows it. */
    public Optional<Map<String, Object>> describe(String tenantId, UUID conversationId) throws SQLException {
        try (var connection = repository.connection()) {
            var state = repository.state(connection, conversationId, false);
            if (state.isEmpty() || !state.get().tenantId().equals(tenantId)) {
                return Optional.empty();
            }
            var s = state.get();
            var flow = readFlow(s.flow());
            var view = new LinkedHashMap<String, Object>();
            view.put("conversationId", conversationId.toString());
            view.put("botId", s.botId());
            view.put("botVersion", s.botVersion());
            view.put("status", s.status());
            view.put("turns", s.turns());
            view.put("misses", s.misses());
            if (s.lastIntent() != null) {
                view.put("lastIntent", s.lastIntent());
            }
            if (flow != null) {
                view.put("flow", flow.flow());
                view.put("slots", flow.slots());
            }
            return Optional.of(view);
        }
    }

    private static BotReply reply(InboundMessage message, List<BotMessage> messages, Intent intent,
            List<dev.parley.common.events.QuickReply> quickReplies,
            List<dev.parley.common.events.SuggestedAction> suggestedActions, Map<String, Object> metadata) {
        return new BotReply(message.messageId(), message.tenantId(), message.botId(), message.conversationId(),
                message.sessionId(), message.userId(), message.acceptedAt(), messages, intent,
                quickReplies == null ? List.of() : quickReplies, suggestedActions == null ? List.of() : suggestedActions,
                metadata, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** Bot message ids derive from the user message, so a recomputed reply would carry the same ids. */
    static String botMessageId(String userMessageId, int index) {
        return UUID.nameUUIDFromBytes(("bot:" + userMessageId + ":" + index).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    private FlowState readFlow(String stored) {
        try {
            return stored == null ? null : json.readValue(stored, FlowState.class);
        } catch (IOException e) {
            LOG.warnf("An unreadable flow state is dropped: %s", e.getMessage());
            return null;
        }
    }

    private String writeFlow(FlowState flow) {
        return flow == null ? null : write(flow);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Handled read(DialogueRepository.Processed stored) {
        try {
            var reply = json.readValue(stored.reply(), BotReply.class);
            List<DialogueEvent> raised = stored.events() == null ? List.of() : json.readValue(stored.events(), EVENT_LIST);
            return new Handled(reply, raised);
        } catch (IOException e) {
            throw new IllegalStateException("A stored reply is unreadable", e);
        }
    }
}
