package dev.parley.dialogue.nlu;

import java.util.Arrays;
import java.util.Locale;

/**
 * The offline sentence-embedding models that ship inside Maven artifacts (quantised ONNX graph plus tokenizer as
 * class-path resources). Both are uncased BERT models with 384 dimensions; they differ in size, speed and pooling.
 */
public enum EmbeddingModelChoice {

    /** BAAI bge-small-en-v1.5, int8-quantised: 12 layers, CLS pooling. */
    BGE_SMALL_EN_V15_Q("bge-small-en-v15-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
            Pooling.CLS, 0.70),
    /** sentence-transformers all-MiniLM-L6-v2, int8-quantised: 6 layers, mean pooling. */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
            Pooling.MEAN, 0.40);

    public enum Pooling {
        CLS, MEAN
    }

    private final String id;
    private final String modelResource;
    private final String tokenizerResource;
    private final Pooling pooling;
    private final double smallBotMinSimilarity;

    EmbeddingModelChoice(String id, String modelResource, String tokenizerResource, Pooling pooling,
            double smallBotMinSimilarity) {
        this.id = id;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.smallBotMinSimilarity = smallBotMinSimilarity;
    }

    /**
     * For a bot with too few phrases to calibrate an out-of-scope detector: the cosine similarity to the nearest
     * training phrase below which a text is out of scope. This model's similarities sit on their own scale, so the
     * value is per model (docs/nlu.md: paraphrases of a phrase score above it, unrelated questions below).
     */
    public double smallBotMinSimilarity() {
        return smallBotMinSimilarity;
    }

    /** The name used in configuration and in API answers, for example {@code bge-small-en-v15-q}. */
    public String id() {
        return id;
    }

    public String modelResource() {
        return modelResource;
    }

    public String tokenizerResource() {
        return tokenizerResource;
    }

    public Pooling pooling() {
        return pooling;
    }

    public static EmbeddingModelChoice of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown embedding model '" + id + "'; known: "
                        + Arrays.stream(values()).map(EmbeddingModelChoice::id).toList()));
    }
}
