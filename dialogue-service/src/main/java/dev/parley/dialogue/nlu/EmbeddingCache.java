package dev.parley.dialogue.nlu;

import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Embeds each distinct text once: a bounded Caffeine cache keyed by model and normalised text. Training phrases
 * go through it too, so a republished bot version re-embeds only its new phrases, and a user message that repeats
 * a phrase (quick-reply payloads, "hi") costs a map look-up.
 */
public final class EmbeddingCache implements SentenceEncoder {

    private final SentenceEncoder model;
    private final Cache<String, float[]> cache;
    private final LongAdder computed = new LongAdder();

    public EmbeddingCache(SentenceEncoder model, long maximumSize) {
        this.model = model;
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    @Override
    public String model() {
        return model.model();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    /** The embedding of the normalised text, computed only when this model has not embedded that text before. */
    @Override
    public float[] embed(String text) {
        String normalised = TextNormaliser.normalise(text);
        return cache.get(model.model() + '\u0000' + normalised, key -> {
            computed.increment();
            return model.embed(normalised);
        });
    }

    /** How many texts were actually run through the model (cache misses). */
    public long computed() {
        return computed.sum();
    }

    public long size() {
        return cache.estimatedSize();
    }
}
