package dev.parley.dialogue.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the fallback answers from the tenant's knowledge base (see docs/knowledge-answers.md). */
@ConfigMapping(prefix = "parley.dialogue.knowledge")
public interface KnowledgeConfig {

    /** Off: no turn asks knowledge-service, whatever the bots say. */
    @WithDefault("true")
    boolean enabled();

    /** knowledge-service's base URL. */
    @WithDefault("http://127.0.0.1:18083")
    String url();

    /**
     * The cosine similarity (-1..1) the best passage must reach for the bot to answer from the knowledge base; a bot's
     * {@code fallback.minSimilarity} overrides it.
     */
    @WithDefault("0.6")
    double minSimilarity();

    /** How many passages an answer is grounded in at most; a bot's {@code fallback.maxSources} overrides it. */
    @WithDefault("3")
    int maxSources();

    /** How long one search may take before the turn goes on without it. */
    @WithDefault("2s")
    Duration timeout();
}
