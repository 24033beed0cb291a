package dev.parley.dialogue.nlu;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleConsumer;

/**
 * Multinomial logistic regression on standardised sentence embeddings, trained with mini-batch Adam and L2
 * weight decay, all in plain Java. Weights are held dimension-major ({@code [dimension][class]}) so that both the
 * forward pass and the gradient are runs of multiply-adds over the classes, which the JIT vectorises.
 */
public final class SoftmaxRegression {

    /** How training runs; the defaults were chosen by measurement on BANKING77 (see docs/nlu.md). */
    public record Options(int epochs, int batchSize, double learningRate, double weightDecay, long seed) {

        public static Options defaults() {
            return new Options(24, 32, 0.002, 1e-4, 42);
        }
    }

    private final int dimension;
    private final int classes;
    private final float[] mean;
    private final float[] scale;
    private final float[] weights;
    private final float[] bias;

    private SoftmaxRegression(int dimension, int classes, float[] mean, float[] scale, float[] weights,
            float[] bias) {
        this.dimension = dimension;
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
    }

    public int classes() {
        return classes;
    }

    /** Raw (uncalibrated) class scores of an embedding. */
    public double[] logits(float[] embedding) {
        float[] z = new float[classes];
        System.arraycopy(bias, 0, z, 0, classes);
        for (int d = 0; d < dimension; d++) {
            float x = (embedding[d] - mean[d]) * scale[d];
            int offset = d * classes;
            for (int c = 0; c < classes; c++) {
                z[c] += x * weights[offset + c];
            }
        }
        double[] logits = new double[classes];
        for (int c = 0; c < classes; c++) {
            logits[c] = z[c];
        }
        return logits;
    }

    /** Softmax of {@code logits / temperature}. */
    public static double[] softmax(double[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp((logits[c] - max) / temperature);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /**
     * Trains on the given embeddings.
     *
     * @param progress called with the fraction done (0 to 1) after each epoch
     */
    public static SoftmaxRegression train(List<float[]> vectors, int[] labels, int classes, Options options,
            DoubleConsumer progress) {
        int n = vectors.size();
        int dimension = vectors.get(0).length;
        float[] mean = new float[dimension];
        float[] scale = new float[dimension];
        for (float[] v : vectors) {
            for (int d = 0; d < dimension; d++) {
                mean[d] += v[d] / n;
            }
        }
        for (float[] v : vectors) {
            for (int d = 0; d < dimension; d++) {
                float diff = v[d] - mean[d];
                scale[d] += diff * diff / n;
            }
        }
        for (int d = 0; d < dimension; d++) {
            scale[d] = (float) (1 / Math.sqrt(scale[d] + 1e-8));
        }
        float[][] x = new float[n][dimension];
        for (int i = 0; i < n; i++) {
            float[] v = vectors.get(i);
            for (int d = 0; d < dimension; d++) {
                x[i][d] = (v[d] - mean[d]) * scale[d];
            }
        }

        int size = dimension * classes;
        float[] w = new float[size];
        float[] b = new float[classes];
        float[] gw = new float[size];
        float[] gb = new float[classes];
        float[] mw = new float[size];
        float[] vw = new float[size];
        float[] mb = new float[classes];
        float[] vb = new float[classes];
        float[] z = new float[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        var random = new Random(options.seed());
        double beta1 = 0.9;
        double beta2 = 0.999;
        long step = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            // Cosine decay of the step size: large steps first, fine ones at the end.
            double rate = options.learningRate() * 0.5 * (1 + Math.cos(Math.PI * epoch / options.epochs()));
            for (int start = 0; start < n; start += options.batchSize()) {
                int end = Math.min(n, start + options.batchSize());
                java.util.Arrays.fill(gw, 0);
                java.util.Arrays.fill(gb, 0);
                for (int k = start; k < end; k++) {
                    int i = order[k];
                    float[] xi = x[i];
                    System.arraycopy(b, 0, z, 0, classes);
                    for (int d = 0; d < dimension; d++) {
                        float xd = xi[d];
                        int offset = d * classes;
                        for (int c = 0; c < classes; c++) {
                            z[c] += xd * w[offset + c];
                        }
                    }
                    float max = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, z[c]);
                    }
                    float sum = 0;
                    for (int c = 0; c < classes; c++) {
                        z[c] = (float) Math.exp(z[c] - max);
                        sum += z[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        z[c] /= sum;
                    }
                    z[labels[i]] -= 1;
                    for (int c = 0; c < classes; c++) {
                        gb[c] += z[c];
                    }
                    for (int d = 0; d < dimension; d++) {
                        float xd = xi[d];
                        int offset = d * classes;
                        for (int c = 0; c < classes; c++) {
                            gw[offset + c] += xd * z[c];
                        }
                    }
                }
                step++;
                float inverse = 1f / (end - start);
                double correction1 = 1 - Math.pow(beta1, step);
                double correction2 = 1 - Math.pow(beta2, step);
                float stepSize = (float) (rate * Math.sqrt(correction2) / correction1);
                float decay = (float) (rate * options.weightDecay());
                adam(w, gw, mw, vw, inverse, stepSize, decay);
                adam(b, gb, mb, vb, inverse, stepSize, 0);
            }
            if (progress != null) {
                progress.accept((epoch + 1.0) / options.epochs());
            }
        }
        return new SoftmaxRegression(dimension, classes, mean, scale, w, b);
    }

    private static void adam(float[] p, float[] g, float[] m, float[] v, float inverse, float stepSize, float decay) {
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] * inverse;
            m[i] = 0.9f * m[i] + 0.1f * gi;
            v[i] = 0.999f * v[i] + 0.001f * gi * gi;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + 1e-8f) + decay * p[i];
        }
    }
}
