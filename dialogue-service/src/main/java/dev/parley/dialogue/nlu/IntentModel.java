package dev.parley.dialogue.nlu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A trained intent classifier for one bot version: softmax regression over sentence embeddings, blended with a
 * weighted k-nearest-neighbour vote over the training phrases, with temperature-scaled (calibrated) confidence
 * and an out-of-scope threshold on that confidence. Immutable and thread-safe.
 */
public final class IntentModel {

    /** One intent and the calibrated probability that the text means it. */
    public record Scored(String intent, double confidence) {
    }

    /**
     * The analysis of one text: every intent ranked by confidence, and whether the best one is too unsure to be
     * trusted (the text is then out of scope: it matches no intent of the bot).
     */
    public record Ranking(List<Scored> ranking, boolean outOfScope, double outOfScopeScore) {

        public Scored best() {
            return ranking.get(0);
        }
    }

    private final String[] intents;
    private final SoftmaxRegression regression;
    private final KnnIndex knn;
    private final double knnWeight;
    private final double temperature;
    private final ScopeDetector scope;
    private final double threshold;
    /** Without a detector: the nearest phrase's similarity below which a text is out of scope (NaN: no such rule). */
    private final double minSimilarity;

    /**
     * @param scope     the out-of-scope detector; null when the bot has too few phrases to calibrate one, and a
     *                  text is then out of scope when its calibrated confidence is below {@code threshold}
     * @param threshold with a detector: the largest in-scope Mahalanobis distance; without: the lowest in-scope
     *                  confidence
     */
    IntentModel(String[] intents, SoftmaxRegression regression, KnnIndex knn, double knnWeight, double temperature,
            ScopeDetector scope, double threshold) {
        this(intents, regression, knn, knnWeight, temperature, scope, threshold, Double.NaN);
    }

    private IntentModel(String[] intents, SoftmaxRegression regression, KnnIndex knn, double knnWeight,
            double temperature, ScopeDetector scope, double threshold, double minSimilarity) {
        this.minSimilarity = minSimilarity;
        this.intents = intents;
        this.regression = regression;
        this.knn = knn;
        this.knnWeight = knnWeight;
        this.temperature = temperature;
        this.scope = scope;
        this.threshold = threshold;
    }

    /** The same model with another out-of-scope threshold (a configured override of the calibrated one). */
    public IntentModel withThreshold(double newThreshold) {
        return new IntentModel(intents, regression, knn, knnWeight, temperature, scope, newThreshold, minSimilarity);
    }

    /**
     * The same model where, without a calibrated detector (a bot with few phrases), a text is also out of scope
     * when its nearest training phrase is less similar than {@code similarity}: with two intents the classifier's
     * confidence is never below one half, however unrelated the text.
     */
    public IntentModel withMinSimilarity(double similarity) {
        return new IntentModel(intents, regression, knn, knnWeight, temperature, scope, threshold, similarity);
    }

    /** What the out-of-scope threshold applies to: {@code mahalanobis} distance or classifier {@code confidence}. */
    public String outOfScopeMeasure() {
        return scope != null ? "mahalanobis" : "confidence";
    }

    public List<String> intents() {
        return List.of(intents);
    }

    public double temperature() {
        return temperature;
    }

    /** Beyond this distance (or below this confidence, see {@link #outOfScopeMeasure()}) a text is out of scope. */
    public double threshold() {
        return threshold;
    }

    public double knnWeight() {
        return knnWeight;
    }

    /** The calibrated class probabilities, in the order of {@link #intents()}. */
    double[] probabilities(float[] embedding, KnnIndex.Votes votes) {
        double[] p = SoftmaxRegression.softmax(regression.logits(embedding), temperature);
        if (knnWeight > 0) {
            for (int c = 0; c < p.length; c++) {
                p[c] = (1 - knnWeight) * p[c] + knnWeight * votes.distribution()[c];
            }
        }
        return p;
    }

    public Ranking classify(float[] embedding) {
        return classify(embedding, Integer.MAX_VALUE);
    }

    /** The analysis of an embedding, with at most {@code top} intents in the ranking. */
    public Ranking classify(float[] embedding, int top) {
        var votes = knn.vote(embedding);
        double[] p = probabilities(embedding, votes);
        Integer[] order = new Integer[p.length];
        for (int c = 0; c < p.length; c++) {
            order[c] = c;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer c) -> p[c]).reversed());
        var ranking = new ArrayList<Scored>(Math.min(top, p.length));
        for (int i = 0; i < Math.min(top, p.length); i++) {
            ranking.add(new Scored(intents[order[i]], p[order[i]]));
        }
        if (scope != null) {
            double distance = scope.distance(embedding);
            return new Ranking(List.copyOf(ranking), distance > threshold, distance);
        }
        boolean unlike = !Double.isNaN(minSimilarity) && votes.nearest() < minSimilarity;
        return new Ranking(List.copyOf(ranking), p[order[0]] < threshold || unlike, 1 - p[order[0]]);
    }
}
