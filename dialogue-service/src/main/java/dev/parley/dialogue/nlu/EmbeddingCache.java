package dev.parley.dialogue.nlu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Embeds each distinct text once: a bounded Caffeine cache keyed by model and normalised text. Training phrases
 * go through it too, so a republished bot version re-embeds only its new phrases, and a user message that repeats
 * a phrase (quick-reply payloads, "hi") costs a map look-up.
 * <p>
 * A user's messages are embedded through {@link #owned(String)}: the cache remembers which entries came from which
 * owner (a user), so that {@link #forget(String)} removes them when the user is erased. An owner dropped from that
 * index to bound its size takes its entries out of the cache with it, so no user text is ever cached untracked.
 */
public final class EmbeddingCache implements SentenceEncoder {

    private final SentenceEncoder model;
    private final Cache<String, float[]> cache;
    /** The cache keys of the texts each owner's messages were embedded as. */
    private final Cache<String, Set<String>> owners;
    private final LongAdder computed = new LongAdder();

    public EmbeddingCache(SentenceEncoder model, long maximumSize) {
        this.model = model;
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
        this.owners = Caffeine.newBuilder().maximumSize(maximumSize)
                .<String, Set<String>> evictionListener((owner, keys, cause) -> {
                    if (keys != null) {
                        cache.invalidateAll(keys);
                    }
                })
                .build();
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
        return embedNormalised(model.model() + '\u0000' + normalised, normalised);
    }

    private float[] embedNormalised(String key, String normalised) {
        return cache.get(key, k -> {
            computed.increment();
            return model.embed(normalised);
        });
    }

    /**
     * This cache as an encoder of one owner's texts (a user's messages): every text it embeds is recorded as the
     * owner's, before it enters the cache, so {@link #forget(String)} finds it.
     */
    public SentenceEncoder owned(String owner) {
        return new SentenceEncoder() {
            @Override
            public String model() {
                return EmbeddingCache.this.model();
            }

            @Override
            public int dimension() {
                return EmbeddingCache.this.dimension();
            }

            @Override
            public float[] embed(String text) {
                String normalised = TextNormaliser.normalise(text);
                String key = model.model() + '\u0000' + normalised;
                owners.asMap().compute(owner, (o, keys) -> {
                    var held = keys == null ? ConcurrentHashMap.<String> newKeySet() : keys;
                    held.add(key);
                    return held;
                });
                return embedNormalised(key, normalised);
            }
        };
    }

    /**
     * Removes every cached embedding of the owner's texts (a training phrase among them is simply embedded again
     * when next needed); returns how many entries went.
     */
    public int forget(String owner) {
        Set<String> keys = owners.asMap().remove(owner);
        if (keys == null) {
            return 0;
        }
        int removed = 0;
        for (String key : keys) {
            if (cache.asMap().remove(key) != null) {
                removed++;
            }
        }
        return removed;
    }

    /** Whether the text is cached (for tests and diagnostics). */
    public boolean contains(String text) {
        return cache.getIfPresent(model.model() + '\u0000' + TextNormaliser.normalise(text)) != null;
    }

    /** How many texts were actually run through the model (cache misses). */
    public long computed() {
        return computed.sum();
    }

    public long size() {
        return cache.estimatedSize();
    }
}
