package dev.parley.dialogue.nlu;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * The NLU of one bot version. It answers at once with the TF-IDF matcher; once the training phrases are embedded
 * it answers with a weighted kNN over them; once the classifier is trained, with the classifier. {@link #train}
 * runs on a background thread and moves it through those stages, so no turn ever waits for training.
 */
public final class BotNlu {

    public enum Stage {
        QUEUED, EMBEDDING, TRAINING, READY, FAILED
    }

    /** The stage and how far training has come (0 to 1), with the trained model's figures once ready. */
    public record Status(Stage stage, double progress, String engine, Double temperature, Double threshold,
            String outOfScopeMeasure, Double trainingSeconds) {
    }

    private static final Logger LOG = Logger.getLogger(BotNlu.class);
    private static final int RANKING = 10;

    private final String name;
    private final Map<String, List<String>> phrases;
    private final IntentMatcher tfIdf;
    private final double tfIdfThreshold;
    private final EntityExtractor entities;

    private volatile Stage stage = Stage.QUEUED;
    private volatile double progress;
    private volatile String[] knnIntents;
    private volatile KnnIndex knn;
    private volatile IntentModel model;
    private volatile double trainingSeconds;

    /**
     * @param name           for logs, e.g. {@code tenant/bot v3}
     * @param tfIdf          the matcher that answers until the classifier is ready
     * @param tfIdfThreshold below this TF-IDF score a text is out of scope
     */
    public BotNlu(String name, Map<String, List<String>> phrases, IntentMatcher tfIdf, double tfIdfThreshold,
            EntityExtractor entities) {
        this.name = name;
        this.phrases = phrases;
        this.tfIdf = tfIdf;
        this.tfIdfThreshold = tfIdfThreshold;
        this.entities = entities;
    }

    /** A bot NLU whose classifier is already trained (benchmarks, tests). */
    public static BotNlu ready(String name, IntentModel model, IntentMatcher tfIdf, double tfIdfThreshold,
            EntityExtractor entities) {
        var nlu = new BotNlu(name, Map.of(), tfIdf, tfIdfThreshold, entities);
        nlu.model = model;
        nlu.stage = Stage.READY;
        nlu.progress = 1;
        return nlu;
    }

    public Status status() {
        IntentModel trained = model;
        return new Status(stage, progress, engine(), trained == null ? null : trained.temperature(),
                trained == null ? null : trained.threshold(), trained == null ? null : trained.outOfScopeMeasure(),
                trained == null ? null : trainingSeconds);
    }

    private String engine() {
        return model != null ? NluResult.CLASSIFIER : knn != null ? NluResult.KNN : NluResult.TF_IDF;
    }

    /** Embeds the training phrases and trains the classifier, logging progress; blocking, thread-safe. */
    public void train(SentenceEncoder encoder, IntentTrainer.Options options, Double thresholdOverride) {
        long started = System.nanoTime();
        try {
            stage = Stage.EMBEDDING;
            int total = phrases.values().stream().mapToInt(List::size).sum();
            LOG.infof("NLU %s: embedding %d training phrases with %s", name, total, encoder.model());
            var embeddings = new LinkedHashMap<String, List<float[]>>();
            int done = 0;
            int lastLogged = 0;
            for (var entry : phrases.entrySet()) {
                var vectors = new ArrayList<float[]>(entry.getValue().size());
                for (String phrase : entry.getValue()) {
                    vectors.add(encoder.embed(phrase));
                    done++;
                    progress = 0.8 * done / total;
                    int tenth = 10 * done / total;
                    if (tenth > lastLogged) {
                        lastLogged = tenth;
                        LOG.infof("NLU %s: embedded %d/%d phrases (%.0f%%, %.1f s)", name, done, total,
                                100.0 * done / total, (System.nanoTime() - started) / 1e9);
                    }
                }
                embeddings.put(entry.getKey(), vectors);
            }
            buildKnn(embeddings, options);
            stage = Stage.TRAINING;
            long trainingStarted = System.nanoTime();
            var lastPhase = new String[] { "" };
            IntentModel trained = IntentTrainer.train(embeddings, options, (phase, fraction) -> {
                progress = 0.8 + 0.2 * fraction;
                if (!phase.equals(lastPhase[0])) {
                    lastPhase[0] = phase;
                    LOG.infof("NLU %s: %s (%.1f s)", name, phase, (System.nanoTime() - started) / 1e9);
                }
            });
            trained = trained.withMinSimilarity(smallBotMinSimilarity(encoder));
            model = thresholdOverride == null ? trained : trained.withThreshold(thresholdOverride);
            trainingSeconds = (System.nanoTime() - trainingStarted) / 1e9;
            progress = 1;
            stage = Stage.READY;
            LOG.infof("NLU %s: classifier ready for %d intents in %.1f s (classifier training %.1f s, temperature "
                    + "%.2f, out-of-scope beyond %s %.2f)", name, trained.intents().size(),
                    (System.nanoTime() - started) / 1e9, trainingSeconds, trained.temperature(),
                    model.outOfScopeMeasure(), model.threshold());
        } catch (RuntimeException e) {
            stage = Stage.FAILED;
            LOG.errorf(e, "NLU %s: training failed; the TF-IDF matcher keeps answering", name);
        }
    }

    /** The per-model similarity floor for texts (see EmbeddingModelChoice); none for an encoder of another kind. */
    static double smallBotMinSimilarity(SentenceEncoder encoder) {
        try {
            return EmbeddingModelChoice.of(encoder.model()).smallBotMinSimilarity();
        } catch (IllegalArgumentException unknown) {
            return Double.NaN;
        }
    }

    private void buildKnn(Map<String, List<float[]>> embeddings, IntentTrainer.Options options) {
        var intents = embeddings.keySet().toArray(String[]::new);
        var vectors = new ArrayList<float[]>();
        var labels = new ArrayList<Integer>();
        for (int c = 0; c < intents.length; c++) {
            for (float[] v : embeddings.get(intents[c])) {
                vectors.add(v);
                labels.add(c);
            }
        }
        if (vectors.isEmpty()) {
            return;
        }
        knn = new KnnIndex(vectors, labels.stream().mapToInt(Integer::intValue).toArray(), intents.length,
                options.neighbours(), options.sharpness());
        knnIntents = intents;
    }

    /** Analyses a text with the best engine ready now; {@code encoder} may be null while the model loads. */
    public NluResult parse(String text, SentenceEncoder encoder, LocalDate today) {
        long started = System.nanoTime();
        IntentModel trained = model;
        KnnIndex index = knn;
        List<IntentModel.Scored> ranking;
        boolean outOfScope;
        double outOfScopeScore;
        String engine;
        String modelName;
        if (encoder != null && (trained != null || index != null)) {
            float[] embedding = encoder.embed(text);
            modelName = encoder.model();
            if (trained != null) {
                var result = trained.classify(embedding, RANKING);
                ranking = result.ranking();
                outOfScope = result.outOfScope();
                outOfScopeScore = result.outOfScopeScore();
                engine = NluResult.CLASSIFIER;
            } else {
                var votes = index.vote(embedding);
                ranking = top(knnIntents, votes.distribution());
                outOfScopeScore = 1 - ranking.get(0).confidence();
                outOfScope = ranking.get(0).confidence() < IntentTrainer.Options.defaults().fallbackThreshold()
                        || votes.nearest() < smallBotMinSimilarity(encoder);
                engine = NluResult.KNN;
            }
        } else {
            var match = tfIdf.match(text);
            ranking = match.intent() == null ? List.of()
                    : List.of(new IntentModel.Scored(match.intent().name(), Math.min(1, match.score())));
            outOfScope = match.intent() == null || match.score() < tfIdfThreshold;
            outOfScopeScore = 1 - Math.min(1, match.score());
            engine = NluResult.TF_IDF;
            modelName = NluResult.TF_IDF;
        }
        var found = entities.extract(text, today);
        double millis = (System.nanoTime() - started) / 1e6;
        return new NluResult(text, ranking.isEmpty() ? null : ranking.get(0), ranking, outOfScope, outOfScopeScore,
                found, engine, modelName, millis);
    }

    private static List<IntentModel.Scored> top(String[] intents, double[] p) {
        var all = new ArrayList<IntentModel.Scored>();
        for (int c = 0; c < p.length; c++) {
            if (p[c] > 0) {
                all.add(new IntentModel.Scored(intents[c], p[c]));
            }
        }
        all.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
        return List.copyOf(all.subList(0, Math.min(RANKING, all.size())));
    }
}
