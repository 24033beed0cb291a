package dev.parley.dialogue.llm;

import java.time.Duration;

/**
 * How each provider endpoint is guarded: a call that takes longer than its timeout is abandoned; when at least
 * {@code failureRatio} of the last {@code requestVolume} calls failed the circuit opens and the endpoint is skipped
 * for {@code openFor}, then one trial call decides whether it closes again.
 */
public record GuardSettings(Duration defaultTimeout, int requestVolume, double failureRatio, Duration openFor) {

    public static final GuardSettings DEFAULTS = new GuardSettings(Duration.ofSeconds(15), 4, 0.5,
            Duration.ofSeconds(30));
}
