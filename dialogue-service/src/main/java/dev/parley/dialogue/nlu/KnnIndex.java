package dev.parley.dialogue.nlu;

import java.util.List;

/**
 * Weighted k-nearest-neighbour voting over the unit-length embeddings of training phrases (cosine similarity).
 * The phrases are stored dimension-major so that scoring a query against all of them is a run of vectorisable
 * multiply-adds rather than one dot product per phrase. Each dimension is quantised to signed bytes with a scale of
 * its own (its largest magnitude maps to 127): scoring reads a quarter of the memory of 32-bit floats, which is
 * what bounds it (8,000 BANKING77 phrases x 384 dimensions: 12 MB as floats, 3 MB as bytes), and a similarity
 * moves by less than half a quantisation step per dimension (see BENCHMARKS.md for the accuracy and time).
 */
public final class KnnIndex {

    private final int dimension;
    private final int size;
    private final int classes;
    /** The quantised phrase vectors, dimension-major: {@code columns[d * size + n]}. */
    private final byte[] columns;
    /** Per dimension: the value of one quantisation step. */
    private final float[] scales;
    private final int[] labels;
    private final int neighbours;
    private final double sharpness;

    /**
     * @param vectors    unit-length phrase embeddings
     * @param labels     the class of each phrase, 0 to {@code classes - 1}
     * @param neighbours how many nearest phrases vote
     * @param sharpness  a neighbour's vote is {@code exp(sharpness * similarity)}: closer phrases count more
     */
    public KnnIndex(List<float[]> vectors, int[] labels, int classes, int neighbours, double sharpness) {
        this.size = vectors.size();
        this.dimension = size == 0 ? 0 : vectors.get(0).length;
        this.classes = classes;
        this.labels = labels.clone();
        this.neighbours = Math.max(1, Math.min(neighbours, Math.max(1, size)));
        this.sharpness = sharpness;
        this.columns = new byte[dimension * size];
        this.scales = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            float largest = 0;
            for (int n = 0; n < size; n++) {
                largest = Math.max(largest, Math.abs(vectors.get(n)[d]));
            }
            float scale = largest == 0 ? 1 : largest / 127;
            scales[d] = scale;
            for (int n = 0; n < size; n++) {
                columns[d * size + n] = (byte) Math.round(vectors.get(n)[d] / scale);
            }
        }
    }

    public int size() {
        return size;
    }

    /** The cosine similarity of the query to every phrase. */
    float[] similarities(float[] query) {
        float[] similarity = new float[size];
        int d = 0;
        // Four dimensions a pass: a quarter of the loads and stores of the running sums.
        for (; d + 3 < dimension; d += 4) {
            float q0 = query[d] * scales[d];
            float q1 = query[d + 1] * scales[d + 1];
            float q2 = query[d + 2] * scales[d + 2];
            float q3 = query[d + 3] * scales[d + 3];
            int o0 = d * size;
            int o1 = o0 + size;
            int o2 = o1 + size;
            int o3 = o2 + size;
            for (int n = 0; n < size; n++) {
                similarity[n] += q0 * columns[o0 + n] + q1 * columns[o1 + n] + q2 * columns[o2 + n]
                        + q3 * columns[o3 + n];
            }
        }
        for (; d < dimension; d++) {
            float q = query[d] * scales[d];
            int offset = d * size;
            for (int n = 0; n < size; n++) {
                similarity[n] += q * columns[offset + n];
            }
        }
        return similarity;
    }

    /** The result of one query: the vote share of each class and the similarity of the nearest phrase. */
    public record Votes(double[] distribution, double nearest) {
    }

    public Votes vote(float[] query) {
        double[] distribution = new double[classes];
        if (size == 0) {
            return new Votes(distribution, 0);
        }
        float[] similarity = similarities(query);
        int[] best = new int[neighbours];
        float[] bestScore = new float[neighbours];
        java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        for (int n = 0; n < size; n++) {
            float s = similarity[n];
            if (s <= bestScore[neighbours - 1]) {
                continue;
            }
            int at = neighbours - 1;
            while (at > 0 && bestScore[at - 1] < s) {
                bestScore[at] = bestScore[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            bestScore[at] = s;
            best[at] = n;
        }
        double total = 0;
        for (int k = 0; k < neighbours; k++) {
            if (bestScore[k] == Float.NEGATIVE_INFINITY) {
                break;
            }
            double weight = Math.exp(sharpness * (bestScore[k] - bestScore[0]));
            distribution[labels[best[k]]] += weight;
            total += weight;
        }
        for (int c = 0; c < classes; c++) {
            distribution[c] /= total;
        }
        return new Votes(distribution, bestScore[0]);
    }
}
