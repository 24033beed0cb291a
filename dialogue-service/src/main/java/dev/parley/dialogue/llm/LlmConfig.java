package dev.parley.dialogue.llm;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How calls to language model providers are bounded. */
@ConfigMapping(prefix = "parley.dialogue.llm")
public interface LlmConfig {

    /** How long one provider call may take (streaming included) when its endpoint names no timeout. */
    @WithDefault("15s")
    Duration timeout();

    @WithDefault("3s")
    Duration connectTimeout();

    CircuitBreaker circuitBreaker();

    interface CircuitBreaker {
        /** Calls looked at to decide whether the circuit opens. */
        @WithDefault("4")
        int requestVolume();

        /** Share of failed calls among them that opens the circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open circuit skips the endpoint before one trial call. */
        @WithDefault("30s")
        Duration delay();
    }
}
