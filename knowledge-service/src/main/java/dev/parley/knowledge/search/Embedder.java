package dev.parley.knowledge.search;

import java.util.ArrayList;
import java.util.List;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

/**
 * Sentence embeddings from an in-process (ONNX) langchain4j model, by default the quantized BGE small English v1.5,
 * the same family as the NLU's. Vectors are L2-normalised, so cosine similarity is their dot product.
 */
public final class Embedder {

    public static final String DEFAULT_MODEL =
            "dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel";

    private final EmbeddingModel model;
    private final String queryPrefix;
    private final int dimension;

    /**
     * @param modelClass  an {@link EmbeddingModel} with a public no-argument constructor, on the class path
     * @param queryPrefix prepended to queries (not to passages), as some models are trained to expect
     */
    public Embedder(String modelClass, String queryPrefix) {
        try {
            this.model = (EmbeddingModel) Class.forName(modelClass).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Embedding model " + modelClass + " is not an EmbeddingModel on the class path", e);
        }
        this.queryPrefix = queryPrefix == null ? "" : queryPrefix;
        this.dimension = model.embed("dimension probe").content().vector().length;
    }

    public int dimension() {
        return dimension;
    }

    public float[] query(String text) {
        return normalised(model.embed(queryPrefix + text).content().vector());
    }

    public List<float[]> passages(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        var embeddings = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        var vectors = new ArrayList<float[]>(embeddings.size());
        embeddings.forEach(e -> vectors.add(normalised(e.vector())));
        return vectors;
    }

    static float[] normalised(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return vector;
        }
        var result = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            result[i] = (float) (vector[i] / norm);
        }
        return result;
    }

    /** float32 little endian, as stored in {@code knowledge_chunks.embedding}. */
    public static byte[] toBytes(float[] vector) {
        var buffer = java.nio.ByteBuffer.allocate(vector.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] fromBytes(byte[] bytes) {
        var vector = new float[bytes.length / 4];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
