package dev.parley.dialogue.nlu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Runs one of the {@link EmbeddingModelChoice} models with ONNX Runtime, reading the graph and tokenizer from the
 * model's Maven artifact on the class path. The session is built here rather than through langchain4j's
 * {@code OnnxEmbeddingModel} because its thread count must be set: by default ONNX Runtime spins one busy thread
 * per core for every inference, which would take the whole machine away from Kafka, PostgreSQL and the other
 * services for a 2 ms job. With one intra-op thread and spinning off, one text costs one core for its duration.
 */
public final class OnnxSentenceEncoder implements SentenceEncoder, AutoCloseable {

    private static final String MAX_TOKENS = "512";

    private final EmbeddingModelChoice choice;
    private final OrtEnvironment environment;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean tokenTypes;
    private final int dimension;

    public OnnxSentenceEncoder(EmbeddingModelChoice choice, int threads) {
        this.choice = choice;
        try {
            environment = OrtEnvironment.getEnvironment();
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = environment.createSession(read(choice.modelResource()), options);
            try (InputStream json = open(choice.tokenizerResource())) {
                tokenizer = HuggingFaceTokenizer.newInstance(json,
                        Map.of("padding", "false", "truncation", "true", "maxLength", MAX_TOKENS));
            }
            tokenTypes = session.getInputNames().contains("token_type_ids");
        } catch (OrtException | IOException e) {
            throw new IllegalStateException("Cannot load the embedding model " + choice.id(), e);
        }
        dimension = embed("hello").length;
    }

    @Override
    public String model() {
        return choice.id();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embed(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] shape = { 1, ids.length };
        var inputs = new HashMap<String, OnnxTensor>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment,
                        LongBuffer.wrap(encoding.getTypeIds()), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] tokens = ((float[][][]) result.get(0).getValue())[0];
                return normalise(pool(tokens, mask));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Embedding failed with " + choice.id(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(float[][] tokens, long[] mask) {
        if (choice.pooling() == EmbeddingModelChoice.Pooling.CLS) {
            return tokens[0].clone();
        }
        float[] sum = new float[tokens[0].length];
        int counted = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            counted++;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, counted);
        }
        return sum;
    }

    static float[] normalise(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < vector.length; d++) {
            vector[d] *= scale;
        }
        return vector;
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = OnnxSentenceEncoder.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("Missing class-path resource " + resource + " (is its langchain4j-embeddings "
                    + "artifact a dependency?)");
        }
        return in;
    }

    @Override
    public void close() {
        try {
            session.close();
            options.close();
        } catch (OrtException e) {
            // Closing at shutdown: nothing left to do.
        }
        tokenizer.close();
    }
}
