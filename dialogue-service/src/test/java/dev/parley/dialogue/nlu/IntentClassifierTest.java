package dev.parley.dialogue.nlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.dialogue.service.DemoBot;

/**
 * The classifier as a bot version gets it, on BANKING77: trained on 80% of each intent's phrases, judged on the
 * other 20% (every fifth phrase) and on the project's out-of-scope set.
 */
class IntentClassifierTest {

    static final EmbeddingModelChoice MODEL = EmbeddingModelChoice.BGE_SMALL_EN_V15_Q;

    static OnnxSentenceEncoder encoder;
    static EmbeddingCache cache;
    static Map<String, List<String>> heldOut = new LinkedHashMap<>();
    static Map<String, List<float[]>> training = new LinkedHashMap<>();
    static IntentModel model;
    static List<String> outOfScope;

    @BeforeAll
    static void train() throws IOException {
        encoder = new OnnxSentenceEncoder(MODEL, 1);
        cache = new EmbeddingCache(encoder, 20_000);
        Map<String, List<String>> phrases;
        try (InputStream csv = resource("demo/banking77/train.csv")) {
            phrases = DemoBot.readTrainingPhrases(csv);
        }
        try (InputStream in = resource("nlu/out-of-scope.txt")) {
            outOfScope = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
        var all = new ArrayList<String>();
        phrases.forEach((intent, examples) -> {
            var train = new ArrayList<String>();
            for (int i = 0; i < examples.size(); i++) {
                if (i % 5 == 4) {
                    heldOut.computeIfAbsent(intent, k -> new ArrayList<>()).add(examples.get(i));
                } else {
                    train.add(examples.get(i));
                }
                all.add(examples.get(i));
            }
            training.put(intent, train.stream().map(t -> (float[]) null).toList());
        });
        all.addAll(outOfScope);
        // Two texts at a time: the session is thread-safe and the test machine has two cores.
        all.parallelStream().forEach(cache::embed);
        phrases.forEach((intent, examples) -> {
            var vectors = new ArrayList<float[]>();
            for (int i = 0; i < examples.size(); i++) {
                if (i % 5 != 4) {
                    vectors.add(cache.embed(examples.get(i)));
                }
            }
            training.put(intent, vectors);
        });
        model = IntentTrainer.train(training, IntentTrainer.Options.defaults(), IntentTrainer.Progress.NONE);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static InputStream resource(String path) {
        return IntentClassifierTest.class.getClassLoader().getResourceAsStream(path);
    }

    @Test
    void beatsPlainNearestNeighbourOnHeldOutPhrases() {
        String[] intents = training.keySet().toArray(String[]::new);
        var vectors = new ArrayList<float[]>();
        var labels = new ArrayList<Integer>();
        for (int c = 0; c < intents.length; c++) {
            for (float[] v : training.get(intents[c])) {
                vectors.add(v);
                labels.add(c);
            }
        }
        var knn = new KnnIndex(vectors, labels.stream().mapToInt(Integer::intValue).toArray(), intents.length, 10,
                20);
        int total = 0;
        int classifier = 0;
        int nearest = 0;
        for (var entry : heldOut.entrySet()) {
            for (String text : entry.getValue()) {
                float[] embedding = cache.embed(text);
                total++;
                classifier += model.classify(embedding, 1).best().intent().equals(entry.getKey()) ? 1 : 0;
                double[] votes = knn.vote(embedding).distribution();
                int best = 0;
                for (int c = 1; c < votes.length; c++) {
                    best = votes[c] > votes[best] ? c : best;
                }
                nearest += intents[best].equals(entry.getKey()) ? 1 : 0;
            }
        }
        double accuracy = (double) classifier / total;
        double knnAccuracy = (double) nearest / total;
        System.out.printf("Held-out accuracy on BANKING77 (%s): classifier %.2f%%, weighted kNN %.2f%%, of %d%n",
                MODEL.id(), 100 * accuracy, 100 * knnAccuracy, total);
        assertTrue(accuracy >= 0.935, "accuracy " + accuracy);
        assertTrue(accuracy > knnAccuracy, accuracy + " vs kNN " + knnAccuracy);
    }

    @Test
    void recognisesOutOfScopeTextsWhileKeepingInScopeOnes() {
        int recognised = 0;
        for (String text : outOfScope) {
            recognised += model.classify(cache.embed(text), 1).outOfScope() ? 1 : 0;
        }
        int total = 0;
        int rightAndInScope = 0;
        for (var entry : heldOut.entrySet()) {
            for (String text : entry.getValue()) {
                var ranking = model.classify(cache.embed(text), 1);
                total++;
                rightAndInScope += !ranking.outOfScope() && ranking.best().intent().equals(entry.getKey()) ? 1 : 0;
            }
        }
        double oos = (double) recognised / outOfScope.size();
        double inScope = (double) rightAndInScope / total;
        System.out.printf("Out-of-scope recognised %.2f%% of %d; in-scope accuracy at threshold %.3f: %.2f%%%n",
                100 * oos, outOfScope.size(), model.threshold(), 100 * inScope);
        assertTrue(oos >= 0.80, "out-of-scope recognition " + oos);
        assertTrue(inScope >= 0.88, "in-scope accuracy at the threshold " + inScope);
    }

    @Test
    void confidenceIsCalibrated() {
        // Of the held-out phrases answered with confidence >= 0.9, at least 90% must be right, and the mean
        // confidence must be close to the accuracy (expected calibration error over all predictions).
        int confident = 0;
        int confidentRight = 0;
        double confidenceSum = 0;
        int right = 0;
        int total = 0;
        for (var entry : heldOut.entrySet()) {
            for (String text : entry.getValue()) {
                var best = model.classify(cache.embed(text), 1).best();
                boolean correct = best.intent().equals(entry.getKey());
                total++;
                right += correct ? 1 : 0;
                confidenceSum += best.confidence();
                if (best.confidence() >= 0.9) {
                    confident++;
                    confidentRight += correct ? 1 : 0;
                }
            }
        }
        assertTrue((double) confidentRight / confident >= 0.9, confidentRight + " of " + confident);
        assertEquals((double) right / total, confidenceSum / total, 0.05);
    }

    @Test
    void aSmallBotTrainsToo() {
        var small = new LinkedHashMap<String, List<float[]>>();
        small.put("order_status", embed("where is my order", "has my parcel shipped", "track my delivery",
                "when will my order arrive", "order status please"));
        small.put("opening_hours", embed("when are you open", "what are your opening hours", "are you open on sunday",
                "what time do you close", "opening times"));
        small.put("refund", embed("i want my money back", "how do i get a refund", "refund my purchase",
                "can i return this for a refund", "money back please"));
        var smallModel = IntentTrainer.train(small, IntentTrainer.Options.defaults(), IntentTrainer.Progress.NONE);
        var answer = smallModel.classify(cache.embed("is my package on its way?"));
        assertEquals("order_status", answer.best().intent());
        assertFalse(answer.outOfScope());
        assertEquals(3, answer.ranking().size());
        assertEquals(1.0, answer.ranking().stream().mapToDouble(IntentModel.Scored::confidence).sum(), 1e-6);
    }

    @Test
    void aTwoIntentBotStillRecognisesWhatItDoesNotCover() {
        var tiny = new LinkedHashMap<String, List<float[]>>();
        tiny.put("greeting", embed("hello", "hi there", "good morning"));
        tiny.put("goodbye", embed("bye", "see you later", "goodbye"));
        var plain = IntentTrainer.train(tiny, IntentTrainer.Options.defaults(), IntentTrainer.Progress.NONE);
        var tinyModel = plain.withMinSimilarity(MODEL.smallBotMinSimilarity());
        String unrelated = "and can I pay with a gift card in a shop?";
        // Two intents: the classifier alone is at least 50% sure of one of them, whatever the text.
        assertFalse(plain.classify(cache.embed(unrelated)).outOfScope());
        for (String text : List.of(unrelated, "What is the capital city of Peru?", "I want to cancel my subscription")) {
            assertTrue(tinyModel.classify(cache.embed(text)).outOfScope(), text);
        }
        for (String text : List.of("hey", "good evening", "see ya", "thanks, bye for now")) {
            var answer = tinyModel.classify(cache.embed(text));
            assertFalse(answer.outOfScope(), text);
        }
        assertEquals("goodbye", tinyModel.classify(cache.embed("see ya")).best().intent());
    }

    static List<float[]> embed(String... texts) {
        return List.of(texts).stream().map(cache::embed).toList();
    }
}
