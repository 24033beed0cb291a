package dev.parley.dialogue.nlu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains an {@link IntentModel} from the embeddings of a bot's training phrases, on the CPU in seconds:
 * <ol>
 * <li>every {@code calibrationEvery}-th phrase of each intent is set aside as a calibration slice;</li>
 * <li>softmax regression, the kNN index and the out-of-scope detector ({@link ScopeDetector}) are fitted on the
 * rest;</li>
 * <li>the temperature that minimises the negative log-likelihood of the calibration slice is found (so a
 * confidence of 0.8 means right about 80% of the time), and the out-of-scope threshold on the Mahalanobis
 * distance is set so that {@code inScopeRetention} of the calibration phrases stay in scope;</li>
 * <li>the regression and the kNN index are fitted again on all phrases, keeping that temperature; the scope
 * detector stays the one the threshold was calibrated with.</li>
 * </ol>
 * A bot with too few phrases for a calibration slice (fewer than 30) keeps temperature 1, and a text is out of
 * scope when its confidence is below {@code fallbackThreshold}.
 */
public final class IntentTrainer {

    /** Training settings; defaults chosen by measurement on BANKING77 (docs/nlu.md). */
    public record Options(SoftmaxRegression.Options regression, double knnWeight, int neighbours, double sharpness,
            int calibrationEvery, double inScopeRetention, double fallbackThreshold, boolean refit) {

        public static Options defaults() {
            return new Options(SoftmaxRegression.Options.defaults(), 0.7, 10, 20, 10, 0.99, 0.35, true);
        }

        public Options withInScopeRetention(double retention) {
            return new Options(regression, knnWeight, neighbours, sharpness, calibrationEvery, retention,
                    fallbackThreshold, refit);
        }

        public Options withKnnWeight(double weight) {
            return new Options(regression, weight, neighbours, sharpness, calibrationEvery, inScopeRetention,
                    fallbackThreshold, refit);
        }

        public Options withRefit(boolean again) {
            return new Options(regression, knnWeight, neighbours, sharpness, calibrationEvery, inScopeRetention,
                    fallbackThreshold, again);
        }

        public Options withRegression(SoftmaxRegression.Options options) {
            return new Options(options, knnWeight, neighbours, sharpness, calibrationEvery, inScopeRetention,
                    fallbackThreshold, refit);
        }
    }

    /** Told what training is doing: a phase name and the fraction of the whole job done. */
    @FunctionalInterface
    public interface Progress {
        void report(String phase, double done);

        Progress NONE = (phase, done) -> {
        };
    }

    private static final int MIN_CALIBRATION = 30;

    private IntentTrainer() {
    }

    public static IntentModel train(Map<String, List<float[]>> embeddingsByIntent, Options options,
            Progress progress) {
        var byIntent = new LinkedHashMap<String, List<float[]>>();
        embeddingsByIntent.forEach((intent, vectors) -> {
            if (!vectors.isEmpty()) {
                byIntent.put(intent, vectors);
            }
        });
        if (byIntent.isEmpty()) {
            throw new IllegalArgumentException("No training phrases");
        }
        String[] intents = byIntent.keySet().toArray(String[]::new);
        var fitVectors = new ArrayList<float[]>();
        var fitLabels = new ArrayList<Integer>();
        var calibrationVectors = new ArrayList<float[]>();
        var calibrationLabels = new ArrayList<Integer>();
        var allVectors = new ArrayList<float[]>();
        var allLabels = new ArrayList<Integer>();
        for (int c = 0; c < intents.length; c++) {
            List<float[]> vectors = byIntent.get(intents[c]);
            for (int i = 0; i < vectors.size(); i++) {
                boolean calibration = vectors.size() >= options.calibrationEvery()
                        && i % options.calibrationEvery() == options.calibrationEvery() - 1;
                (calibration ? calibrationVectors : fitVectors).add(vectors.get(i));
                (calibration ? calibrationLabels : fitLabels).add(c);
                allVectors.add(vectors.get(i));
                allLabels.add(c);
            }
        }
        boolean calibrate = calibrationVectors.size() >= MIN_CALIBRATION;
        if (!calibrate) {
            fitVectors = allVectors;
            fitLabels = allLabels;
        }
        boolean refit = calibrate && options.refit();
        double share = refit ? 0.5 : 1.0;
        var fitted = fit(intents.length, fitVectors, fitLabels, options,
                done -> progress.report("training", share * done));
        double temperature = 1;
        double threshold = options.fallbackThreshold();
        // The detector whose distances set the threshold is the one kept: refitted on more phrases, its distances
        // would shrink, most of all for a small bot, and the threshold would no longer mean the same thing.
        ScopeDetector scope = fitted.scope();
        if (calibrate) {
            progress.report("calibrating", share);
            var votes = calibrationVectors.stream().map(fitted.knn()::vote).toList();
            var logits = calibrationVectors.stream().map(fitted.regression()::logits).toList();
            temperature = fitTemperature(logits, votes, calibrationLabels, options.knnWeight());
            progress.report("fitting the out-of-scope detector", share);
            double[] distance = new double[calibrationVectors.size()];
            for (int i = 0; i < distance.length; i++) {
                distance[i] = fitted.scope().distance(calibrationVectors.get(i));
            }
            Arrays.sort(distance);
            int cut = (int) Math.ceil(options.inScopeRetention() * distance.length) - 1;
            threshold = distance[Math.max(0, Math.min(distance.length - 1, cut))];
        }
        if (refit) {
            fitted = fit(intents.length, allVectors, allLabels, options,
                    done -> progress.report("training on all phrases", 0.5 + 0.5 * done));
        }
        progress.report("done", 1);
        return new IntentModel(intents, fitted.regression(), fitted.knn(), options.knnWeight(), temperature,
                calibrate ? scope : null, threshold);
    }

    private record Fitted(SoftmaxRegression regression, KnnIndex knn, ScopeDetector scope) {
    }

    /**
     * Covariance shrinkage of the out-of-scope detector: dimension / phrases, at least 5%. Few phrases estimate a
     * 384-dimensional covariance poorly, so a small bot leans on the diagonal (18 intents x 36 phrases: 0.6);
     * BANKING77's 8,000 phrases get 5%.
     */
    private static double shrinkage(int dimension, int phrases) {
        return Math.max(0.05, Math.min(1.0, (double) dimension / phrases));
    }

    private static Fitted fit(int classes, List<float[]> vectors, List<Integer> labels, Options options,
            java.util.function.DoubleConsumer progress) {
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        var regression = SoftmaxRegression.train(vectors, y, classes, options.regression(), progress);
        var knn = new KnnIndex(vectors, y, classes, options.neighbours(), options.sharpness());
        var scope = ScopeDetector.fit(vectors, y, classes, shrinkage(vectors.get(0).length, vectors.size()));
        return new Fitted(regression, knn, scope);
    }

    /** Golden-section search of the temperature (on a log scale) that minimises the calibration NLL. */
    private static double fitTemperature(List<double[]> logits, List<KnnIndex.Votes> votes, List<Integer> labels,
            double knnWeight) {
        double low = Math.log(0.05);
        double high = Math.log(20);
        double ratio = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 60; i++) {
            double a = high - ratio * (high - low);
            double b = low + ratio * (high - low);
            if (nll(Math.exp(a), logits, votes, labels, knnWeight) < nll(Math.exp(b), logits, votes, labels,
                    knnWeight)) {
                high = b;
            } else {
                low = a;
            }
        }
        return Math.exp((low + high) / 2);
    }

    private static double nll(double temperature, List<double[]> logits, List<KnnIndex.Votes> votes,
            List<Integer> labels, double knnWeight) {
        double sum = 0;
        for (int i = 0; i < logits.size(); i++) {
            double[] p = SoftmaxRegression.softmax(logits.get(i), temperature);
            int y = labels.get(i);
            double py = (1 - knnWeight) * p[y] + knnWeight * votes.get(i).distribution()[y];
            sum -= Math.log(Math.max(py, 1e-12));
        }
        return sum / logits.size();
    }

}
