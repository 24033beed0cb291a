package dev.parley.dialogue.flow;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a conversation is in a flow: the flow, the step waiting for the user (an ask or a confirm), the slots
 * filled so far, how many times the question was asked, and the last endpoint answer. Stored with the dialogue
 * state as JSON.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FlowState(String flow, int step, Map<String, Object> slots, int attempts, Map<String, Object> result) {

    public FlowState {
        slots = slots == null ? new LinkedHashMap<>() : new LinkedHashMap<>(slots);
        result = result == null ? new LinkedHashMap<>() : new LinkedHashMap<>(result);
    }

    public static FlowState start(String flow) {
        return new FlowState(flow, 0, null, 0, null);
    }

    public FlowState at(int newStep, int newAttempts) {
        return new FlowState(flow, newStep, slots, newAttempts, result);
    }
}
