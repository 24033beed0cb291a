package dev.parley.dialogue.nlu;

import java.util.List;

/**
 * Weighted k-nearest-neighbour voting over the unit-length embeddings of training phrases (cosine similarity).
 * The phrases are stored dimension-major so that scoring a query against all of them is a run of vectorisable
 * multiply-adds rather than one dot product per phrase: about 1 ms for 10,000 phrases on one core.
 */
public final class KnnIndex {

    private final int dimension;
    private final int size;
    private final int classes;
    private final float[] columns;
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
        this.columns = new float[dimension * size];
        for (int n = 0; n < size; n++) {
            float[] v = vectors.get(n);
            for (int d = 0; d < dimension; d++) {
                columns[d * size + n] = v[d];
            }
        }
    }

    public int size() {
        return size;
    }

    /** The cosine similarity of the query to every phrase. */
    float[] similarities(float[] query) {
        float[] similarity = new float[size];
        for (int d = 0; d < dimension; d++) {
            float q = query[d];
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
