package dev.parley.dialogue.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.parley.common.events.EventTypes;
import dev.parley.common.events.KnowledgeSource;
import dev.parley.common.events.QuickReply;
import dev.parley.common.events.SuggestedAction;
import dev.parley.dialogue.BotDefinition;

/**
 * The dialogue policy of one turn: continue the conversation's flow (fill the slot it asked for, take a yes or no,
 * answer a digression and ask again), or start the flow the recognised intent triggers, or answer the intent, or
 * apply the fallback policy (fallback message, then a human after N misses in a row). Pure apart from the
 * fulfillment calls, so every rule is testable without Kafka or a database.
 */
public final class FlowEngine {

    private static final Logger LOG = Logger.getLogger(FlowEngine.class);
    private static final int MAX_STEPS_PER_TURN = 100;
    private static final List<QuickReply> YES_NO = List.of(new QuickReply("Yes", "yes"), new QuickReply("No", "no"));

    /** What the NLU made of the user's text. */
    public record Understanding(String intent, double confidence, boolean understood) {
    }

    /** The conversation as the dialogue sees it before the turn. */
    public record Turn(String tenantId, String conversationId, String messageId, String text, Understanding nlu,
            FlowState flow, int turns, int misses, Map<String, Object> user) {
    }

    /** A custom or built-in event raised by the turn. */
    public record Event(String type, Map<String, Object> data) {
    }

    /**
     * What the bot answers and the state after the turn.
     *
     * @param flow     the flow state after the turn; null when no flow is running
     * @param handoff  true when the turn hands the conversation to a human
     * @param outcome  set when a flow ended this turn (its {@code end} outcome, or completed, cancelled, failed)
     */
    public record Result(List<String> texts, List<QuickReply> quickReplies, List<SuggestedAction> suggestedActions,
            boolean understood, FlowState flow, int misses, boolean handoff, String outcome, List<Event> events,
            Answer generated) {
    }

    /**
     * Answers what the bot's intents do not cover, before the fallback message: from the knowledge base or a
     * language model. Empty when it has nothing relevant to say.
     */
    @FunctionalInterface
    public interface Answerer {
        Optional<Answer> answer(BotDefinition bot, Turn turn);
    }

    /** A generated answer, with the sources it used and what produced it. */
    public record Answer(String text, List<KnowledgeSource> sources, String generatedBy) {

        public Answer {
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    private final Fulfillment fulfillment;
    private final Answerer answerer;

    public FlowEngine(Fulfillment fulfillment) {
        this(fulfillment, (bot, turn) -> Optional.empty());
    }

    public FlowEngine(Fulfillment fulfillment, Answerer answerer) {
        this.fulfillment = fulfillment;
        this.answerer = answerer;
    }

    public Result respond(BotDefinition bot, Turn turn) {
        var run = new Run(bot, turn);
        run.respond();
        return run.result();
    }

    private final class Run {
        private final BotDefinition bot;
        private final Turn turn;
        private final List<String> texts = new ArrayList<>();
        private final List<QuickReply> quickReplies = new ArrayList<>();
        private final List<SuggestedAction> suggestedActions = new ArrayList<>();
        private final List<Event> events = new ArrayList<>();
        private FlowState flow;
        private boolean understood = true;
        private int misses;
        private boolean handoff;
        private String outcome;
        private Answer generated;

        Run(BotDefinition bot, Turn turn) {
            this.bot = bot;
            this.turn = turn;
            this.flow = turn.flow() != null && bot.flows().containsKey(turn.flow().flow()) ? turn.flow() : null;
            this.misses = turn.misses();
        }

        Result result() {
            return new Result(List.copyOf(texts), dedupe(quickReplies), List.copyOf(suggestedActions), understood, flow,
                    misses, handoff, outcome, List.copyOf(events), generated);
        }

        void respond() {
            if (flow != null) {
                continueFlow();
                return;
            }
            var nlu = turn.nlu();
            if (nlu.understood()) {
                var triggered = flowTriggeredBy(nlu.intent());
                if (triggered.isPresent()) {
                    misses = 0;
                    startFlow(triggered.get());
                    return;
                }
                var intent = bot.intents().get(nlu.intent());
                if (intent != null) {
                    misses = 0;
                    say(intent.response());
                    return;
                }
            }
            notUnderstood();
        }

        private Optional<String> flowTriggeredBy(String intent) {
            return bot.flows().entrySet().stream().filter(e -> Objects.equals(e.getValue().trigger(), intent))
                    .map(Map.Entry::getKey).findFirst();
        }

        private void startFlow(String name) {
            flow = FlowState.start(name);
            prefillSlots(bot.flows().get(name));
            runFrom(0);
        }

        /** Values the user gave up front ("send £20 to Sam") fill the flow's slots, except free-text ones. */
        private void prefillSlots(FlowModel.Flow definition) {
            for (var step : definition.steps()) {
                if (step.ask() == null) {
                    continue;
                }
                var slot = bot.slots().get(step.ask());
                if (slot != null && !"text".equals(slot.type() == null ? "text" : slot.type())
                        && !"yes_no".equals(slot.type())) {
                    SlotExtractor.extract(slot, turn.text()).ifPresent(v -> flow.slots().put(step.ask(), v));
                }
            }
        }

        private void continueFlow() {
            var definition = bot.flows().get(flow.flow());
            if (flow.step() >= definition.steps().size()) {
                finish("completed");
                return;
            }
            var step = definition.steps().get(flow.step());
            if (step.ask() != null) {
                var slot = bot.slots().get(step.ask());
                var value = SlotExtractor.extract(slot, turn.text());
                if (value.isPresent() && !isDigression(definition)) {
                    flow.slots().put(step.ask(), value.get());
                    misses = 0;
                    runFrom(flow.step() + 1);
                } else if (isDigression(definition)) {
                    digress(() -> ask(step, slot, false));
                } else {
                    retry(slot.attempts(), () -> ask(step, slot, true));
                }
            } else if (step.confirm() != null) {
                var answer = SlotExtractor.yesNo(turn.text());
                if (answer.isPresent()) {
                    misses = 0;
                    if (answer.get()) {
                        runFrom(flow.step() + 1);
                    } else {
                        step.reset().forEach(flow.slots()::remove);
                        if (step.onNo() != null) {
                            runFrom(definition.indexOf(step.onNo()));
                        } else {
                            texts.add("OK, I've cancelled that.");
                            finish("cancelled");
                        }
                    }
                } else if (isDigression(definition)) {
                    digress(() -> confirm(step));
                } else {
                    retry(3, () -> confirm(step));
                }
            } else {
                // A flow only ever waits on an ask or a confirm; anything else means the definition changed.
                runFrom(flow.step());
            }
        }

        private boolean isDigression(FlowModel.Flow current) {
            var nlu = turn.nlu();
            return nlu.understood() && nlu.confidence() >= bot.policy().digression()
                    && !Objects.equals(nlu.intent(), current.trigger()) && bot.intents().containsKey(nlu.intent())
                    && flowTriggeredBy(nlu.intent()).isEmpty();
        }

        /** Answers the other question, then asks the flow's question again. */
        private void digress(Runnable askAgain) {
            say(bot.intents().get(turn.nlu().intent()).response());
            texts.add("Now, back to where we were.");
            askAgain.run();
        }

        private void retry(int maxAttempts, Runnable askAgain) {
            int attempts = flow.attempts() + 1;
            if (attempts >= maxAttempts) {
                understood = false;
                texts.add("Sorry, I still didn't get that, so let's leave it there.");
                finish("abandoned");
                missed();
                return;
            }
            understood = false;
            flow = flow.at(flow.step(), attempts);
            askAgain.run();
        }

        private void runFrom(int start) {
            var definition = bot.flows().get(flow.flow());
            int index = start;
            for (int executed = 0; executed < MAX_STEPS_PER_TURN; executed++) {
                if (index < 0 || index >= definition.steps().size()) {
                    finish("completed");
                    return;
                }
                var step = definition.steps().get(index);
                flow = flow.at(index, 0);
                if (step.say() != null) {
                    texts.add(render(step.say()));
                    quickReplies.addAll(step.quickReplies());
                    suggestedActions.addAll(step.suggestedActions());
                    index = step.next() != null ? definition.indexOf(step.next()) : index + 1;
                } else if (step.ask() != null) {
                    if (flow.slots().containsKey(step.ask())) {
                        index++;
                        continue;
                    }
                    ask(step, bot.slots().get(step.ask()), false);
                    return;
                } else if (step.confirm() != null) {
                    confirm(step);
                    return;
                } else if (step.call() != null) {
                    Integer next = call(definition, step, index);
                    if (next == null) {
                        return;
                    }
                    index = next;
                } else if (!step.branch().isEmpty()) {
                    index = branch(definition, step, index);
                } else if (step.event() != null) {
                    events.add(new Event(step.event(), eventData(step.data())));
                    index++;
                } else if (step.handoff() != null) {
                    texts.add(render(step.handoff()));
                    finish("handoff");
                    handOff("flow");
                    return;
                } else if (step.end() != null) {
                    finish(step.end());
                    return;
                } else if (step.next() != null) {
                    index = definition.indexOf(step.next());
                } else {
                    index++;
                }
            }
            LOG.warnf("Flow %s of bot %s ran %d steps in one turn; stopping it", flow.flow(), bot.id(),
                    MAX_STEPS_PER_TURN);
            finish("failed");
        }

        private void ask(FlowModel.Step step, FlowModel.Slot slot, boolean again) {
            String question = again && slot.reprompt() != null ? slot.reprompt() : slot.prompt();
            texts.add(render(question == null ? "What is your " + step.ask().replace('_', ' ') + "?" : question));
            quickReplies.addAll(step.quickReplies());
            if (slot.values() != null && step.quickReplies().isEmpty() && slot.values().size() <= 8) {
                slot.values().keySet().forEach(v -> quickReplies.add(new QuickReply(v, v)));
            }
        }

        private void confirm(FlowModel.Step step) {
            texts.add(render(step.confirm()));
            quickReplies.addAll(step.quickReplies().isEmpty() ? YES_NO : step.quickReplies());
        }

        /** Returns the next step index, or null when the flow ended. */
        private Integer call(FlowModel.Flow definition, FlowModel.Step step, int index) {
            var endpoint = bot.endpoints().get(step.call());
            var payload = new LinkedHashMap<String, Object>();
            payload.put("conversationId", turn.conversationId());
            payload.put("flow", flow.flow());
            payload.put("step", step.id() == null ? index : step.id());
            payload.put("slots", flow.slots());
            payload.put("user", turn.user());
            payload.put("text", turn.text());
            String callId = turn.messageId() + ":" + flow.flow() + ":" + index;
            try {
                var answer = fulfillment.call(turn.tenantId(), step.call(), endpoint, callId, payload);
                applyAnswer(answer);
                return index + 1;
            } catch (Fulfillment.FulfillmentException failed) {
                LOG.infof("Endpoint %s of bot %s failed for conversation %s: %s", step.call(), bot.id(),
                        turn.conversationId(), failed.getMessage());
                texts.add(render(endpoint.fallback() != null ? endpoint.fallback()
                        : "Sorry, I can't check that right now. Please try again in a little while."));
                if (step.onError() != null) {
                    return definition.indexOf(step.onError());
                }
                finish("failed");
                return null;
            }
        }

        @SuppressWarnings("unchecked")
        private void applyAnswer(Map<String, Object> answer) {
            flow.result().clear();
            flow.result().putAll(answer);
            if (answer.get("slots") instanceof Map<?, ?> slots) {
                flow.slots().putAll((Map<String, Object>) slots);
            }
            if (answer.get("reply") instanceof String reply && !reply.isBlank()) {
                texts.add(reply);
            }
            if (answer.get("quickReplies") instanceof List<?> replies) {
                for (Object item : replies) {
                    if (item instanceof Map<?, ?> map && map.get("title") instanceof String title) {
                        quickReplies.add(new QuickReply(title,
                                map.get("payload") instanceof String payload ? payload : title));
                    }
                }
            }
        }

        private int branch(FlowModel.Flow definition, FlowModel.Step step, int index) {
            for (var condition : step.branch()) {
                if (holds(condition)) {
                    return definition.indexOf(condition.next());
                }
            }
            return index + 1;
        }

        private boolean holds(FlowModel.Branch condition) {
            Object value = condition.result() != null ? flow.result().get(condition.result())
                    : condition.slot() != null ? flow.slots().get(condition.slot()) : null;
            if (condition.exists() != null) {
                return condition.exists() == (value != null);
            }
            if (condition.equals() != null) {
                return value != null && condition.equals().equalsIgnoreCase(Templates.display(value));
            }
            if (condition.in() != null) {
                return value != null && condition.in().stream().anyMatch(v -> v.equalsIgnoreCase(Templates.display(value)));
            }
            return true;
        }

        private Map<String, Object> eventData(List<String> names) {
            var data = new LinkedHashMap<String, Object>();
            if (names.isEmpty()) {
                data.putAll(flow.slots());
            } else {
                names.forEach(n -> data.put(n, flow.slots().get(n)));
            }
            data.put("flow", flow.flow());
            return data;
        }

        private void notUnderstood() {
            understood = false;
            var answer = answerer.answer(bot, turn);
            if (answer.isPresent()) {
                // A grounded or generated answer is an answer: it does not count towards a handoff.
                generated = answer.get();
                texts.add(generated.text());
                return;
            }
            missed();
            if (handoff) {
                return;
            }
            say(bot.fallback() == null
                    ? new BotDefinition.Response(List.of("Sorry, I did not understand that."), null, null)
                    : bot.fallback().response());
        }

        private void missed() {
            misses++;
            int limit = bot.policy().misses();
            if (limit > 0 && misses >= limit && !handoff) {
                texts.add(render(bot.policy().handoffText()));
                handOff("misses");
            }
        }

        private void handOff(String reason) {
            handoff = true;
            var data = new LinkedHashMap<String, Object>();
            data.put("reason", reason);
            data.put("misses", misses);
            if (flow != null) {
                data.put("flow", flow.flow());
                data.put("slots", flow.slots());
            }
            events.add(new Event(EventTypes.HANDOFF_REQUESTED, data));
            flow = null;
        }

        private void finish(String how) {
            outcome = how;
            flow = null;
        }

        private void say(BotDefinition.Response response) {
            var variants = response.responses();
            if (!variants.isEmpty()) {
                texts.add(render(variants.get(Math.floorMod(turn.turns(), variants.size()))));
            }
            quickReplies.addAll(response.quickReplies());
            suggestedActions.addAll(response.suggestedActions());
        }

        private String render(String template) {
            return Templates.render(template, flow == null ? Map.of() : flow.slots(), turn.user(),
                    flow == null ? Map.of() : flow.result());
        }

        private List<QuickReply> dedupe(List<QuickReply> replies) {
            return replies.stream().distinct().toList();
        }
    }
}
