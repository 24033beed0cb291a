package dev.parley.dialogue.flow;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.parley.common.events.QuickReply;
import dev.parley.common.events.SuggestedAction;

/**
 * The parts of a bot definition that drive multi-turn conversations: slots to fill, flows of steps, the tenant
 * endpoints that flows call (fulfillment), and the fallback policy. See docs/flows.md.
 */
public final class FlowModel {

    private FlowModel() {
    }

    /**
     * A value the bot collects. {@code type} is one of text, number, email, amount, date, yes_no, regex (with
     * {@code pattern}) or list (with {@code values}: canonical value to synonyms).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Slot(String type, String pattern, Map<String, List<String>> values, String prompt, String reprompt,
            Integer maxAttempts) {

        public int attempts() {
            return maxAttempts == null ? 3 : maxAttempts;
        }
    }

    /** A flow starts when its trigger intent is recognised and runs its steps in order. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Flow(String trigger, String description, List<Step> steps) {

        public Flow {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }

        public int indexOf(String stepId) {
            for (int i = 0; i < steps.size(); i++) {
                if (stepId.equals(steps.get(i).id())) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * One step; exactly one of say, ask, confirm, call, branch, event, handoff, end or goto is set.
     *
     * @param say      a message (a template: {@code {{slots.x}}}, {@code {{user.x}}}, {@code {{result.x}}})
     * @param ask      the slot to fill; the slot's prompt is asked unless the slot already has a value
     * @param confirm  a yes/no question; yes goes on, no goes to {@code onNo} (a step id) after clearing {@code reset}
     * @param call     the endpoint to call; its answer may set the reply, slots and quick replies; on failure the
     *                 endpoint's fallback message is said and the flow goes to {@code onError} or ends
     * @param branch   conditions tried in order; the first that holds jumps to its step
     * @param event    a custom event type (for example {@code lead.qualified}) carrying the slots named in data
     * @param handoff  hands the conversation to a human, saying this message
     * @param end      ends the flow with this outcome (for example {@code resolved})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Step(String id, String say, String ask, String confirm, String call, List<Branch> branch,
            String event, List<String> data, String handoff, String end, @JsonProperty("goto") String next,
            String onNo, String onError, List<String> reset, List<QuickReply> quickReplies,
            List<SuggestedAction> suggestedActions) {

        public Step {
            branch = branch == null ? List.of() : List.copyOf(branch);
            data = data == null ? List.of() : List.copyOf(data);
            reset = reset == null ? List.of() : List.copyOf(reset);
            quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
            suggestedActions = suggestedActions == null ? List.of() : List.copyOf(suggestedActions);
        }

        /** The kinds set on this step; a valid step has exactly one. */
        public List<String> kinds() {
            var kinds = new java.util.ArrayList<String>();
            if (say != null) kinds.add("say");
            if (ask != null) kinds.add("ask");
            if (confirm != null) kinds.add("confirm");
            if (call != null) kinds.add("call");
            if (!branch.isEmpty()) kinds.add("branch");
            if (event != null) kinds.add("event");
            if (handoff != null) kinds.add("handoff");
            if (end != null) kinds.add("end");
            if (next != null && kinds.isEmpty()) kinds.add("goto");
            return kinds;
        }
    }

    /**
     * A condition on a slot (or, with {@code result}, on a field of the last endpoint answer): equals a value, is
     * one of several, or exists. Without any condition it always holds (an "else").
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Branch(String slot, String result, String equals, List<String> in, Boolean exists,
            @JsonProperty("goto") String next) {
    }

    /**
     * A tenant HTTP endpoint called by flows, signed like a webhook (Standard Webhooks) when it has a secret.
     *
     * @param idempotent the endpoint tolerates a repeated call: a timed-out call may then be retried too
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Endpoint(String url, Integer timeoutMillis, Boolean idempotent, String secret, String fallback) {

        public int timeout() {
            return timeoutMillis == null ? 3000 : timeoutMillis;
        }
    }

    /**
     * What happens when the bot does not understand: after {@code handoffAfterMisses} misses in a row the
     * conversation goes to a human. A recognised intent with at least {@code digressionConfidence} interrupts a
     * slot question, is answered, and the question is asked again.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Policy(Integer handoffAfterMisses, String handoffMessage, Double digressionConfidence) {

        public static final Policy DEFAULT = new Policy(null, null, null);

        public int misses() {
            return handoffAfterMisses == null ? 0 : handoffAfterMisses;
        }

        public String handoffText() {
            return handoffMessage == null ? "Let me get a colleague to help you. Someone will answer here shortly."
                    : handoffMessage;
        }

        public double digression() {
            return digressionConfidence == null ? 0.6 : digressionConfidence;
        }
    }
}
