package dev.parley.dialogue.llm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a model is asked to do; a bot may route each task to different models. */
public enum Task {
    INTENT_CLASSIFICATION("intent-classification"),
    ANSWER_GENERATION("answer-generation"),
    HANDOFF_SUMMARY("handoff-summary");

    private final String wire;

    Task(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<Task> find(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(task -> task.wire.equals(wanted)).findFirst();
    }

    @JsonCreator
    public static Task of(String value) {
        return find(value).orElseThrow(() -> new IllegalArgumentException("unknown task " + value));
    }
}
