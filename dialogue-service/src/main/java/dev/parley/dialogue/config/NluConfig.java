package dev.parley.dialogue.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The NLU engine: embedding model, cache, classifier training and out-of-scope detection. */
@ConfigMapping(prefix = "parley.dialogue.nlu")
public interface NluConfig {

    /**
     * Embed and train a classifier per bot version. When false, every bot answers with the TF-IDF matcher only
     * (no model is loaded).
     */
    @WithDefault("true")
    boolean enabled();

    /** The sentence-embedding model: {@code bge-small-en-v15-q} or {@code all-minilm-l6-v2-q}. */
    @WithDefault("bge-small-en-v15-q")
    String model();

    /** ONNX Runtime threads per embedding; 1 keeps one text on one core and leaves the others to the turn path. */
    @WithDefault("1")
    int inferenceThreads();

    /** How many embeddings (training phrases and user messages) the cache keeps, ~1.6 kB each. */
    @WithDefault("50000")
    long cacheSize();

    /**
     * Share of each bot's held-out calibration phrases that must stay in scope; sets the out-of-scope threshold
     * per bot version. Lower recognises more out-of-scope messages and rejects more real ones.
     */
    @WithDefault("0.99")
    double inScopeRetention();

    /**
     * A fixed out-of-scope threshold instead of the per-bot calibrated one: on the Mahalanobis distance to the
     * nearest intent (on the confidence for bots too small to calibrate).
     */
    Optional<Double> outOfScopeThreshold();

    /** Weight of the kNN vote blended with the softmax regression (0 = regression only). */
    @WithDefault("0.7")
    double knnWeight();
}
