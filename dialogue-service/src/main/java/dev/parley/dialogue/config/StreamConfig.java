package dev.parley.dialogue.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Token streaming of generated answers to {@code parley.dialogue.stream} (docs/streaming.md). Pieces of text are
 * coalesced into one {@code message.delta} until {@code flush-interval} has passed since the last delta or
 * {@code flush-chars} characters are waiting, so a fast model does not cost one Kafka record per token.
 */
@ConfigMapping(prefix = "parley.dialogue.stream")
public interface StreamConfig {

    /** Whether generated answers are streamed at all; when off, providers are called without streaming. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("50ms")
    Duration flushInterval();

    @WithDefault("64")
    int flushChars();
}
