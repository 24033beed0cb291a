package dev.parley.dialogue.nlu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.parley.common.events.Intent;

/**
 * Matches a text to the intent whose training phrases it resembles most: TF-IDF cosine similarity over word
 * unigrams and bigrams, scored by the best few phrases of each intent. Built once per bot version; thread-safe
 * after construction. Queries touch only the phrases that share a term with the text (an inverted index).
 */
public final class IntentMatcher {

    /** The best match and its score; {@code intent} is null when the bot has no phrases at all. */
    public record Match(Intent intent, double score) {
    }

    private static final int NEIGHBOURS = 3;

    private final Map<String, Integer> termIds = new HashMap<>();
    private final String[] phraseIntent;
    /** Per term: the phrases holding it and the term's weight in each (already normalised). */
    private final Map<Integer, List<long[]>> postings = new HashMap<>();
    private final float[] idfs;

    public IntentMatcher(Map<String, List<String>> examplesByIntent) {
        var phrases = new ArrayList<List<String>>();
        var intents = new ArrayList<String>();
        examplesByIntent.forEach((intent, examples) -> examples.forEach(example -> {
            phrases.add(Tokenizer.terms(example));
            intents.add(intent);
        }));
        phraseIntent = intents.toArray(String[]::new);
        var documentFrequency = new HashMap<String, Integer>();
        for (var terms : phrases) {
            terms.stream().distinct().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
        }
        idfs = new float[documentFrequency.size()];
        for (var entry : documentFrequency.entrySet()) {
            int id = termIds.size();
            termIds.put(entry.getKey(), id);
            idfs[id] = (float) Math.log(1.0 + (double) phrases.size() / entry.getValue());
        }
        for (int p = 0; p < phrases.size(); p++) {
            Map<Integer, Double> weights = weigh(phrases.get(p));
            for (var entry : weights.entrySet()) {
                postings.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                        .add(new long[] { p, Double.doubleToLongBits(entry.getValue()) });
            }
        }
    }

    /** L2-normalised TF-IDF weights of known terms. */
    private Map<Integer, Double> weigh(List<String> terms) {
        var counts = new HashMap<Integer, Integer>();
        for (String term : terms) {
            Integer id = termIds.get(term);
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        var weights = new HashMap<Integer, Double>();
        double norm = 0;
        for (var entry : counts.entrySet()) {
            double w = (1 + Math.log(entry.getValue())) * idfs[entry.getKey()];
            weights.put(entry.getKey(), w);
            norm += w * w;
        }
        double length = Math.sqrt(norm);
        weights.replaceAll((k, w) -> w / length);
        return weights;
    }

    public Match match(String text) {
        Map<Integer, Double> query = weigh(Tokenizer.terms(text));
        var similarity = new HashMap<Integer, Double>();
        for (var entry : query.entrySet()) {
            for (long[] posting : postings.getOrDefault(entry.getKey(), List.of())) {
                similarity.merge((int) posting[0], entry.getValue() * Double.longBitsToDouble(posting[1]), Double::sum);
            }
        }
        // Score an intent by the mean of its best few phrases: steadier than the single best one.
        var best = new HashMap<String, double[]>();
        for (var entry : similarity.entrySet()) {
            double[] top = best.computeIfAbsent(phraseIntent[entry.getKey()], k -> new double[NEIGHBOURS]);
            double s = entry.getValue();
            for (int i = 0; i < NEIGHBOURS; i++) {
                if (s > top[i]) {
                    double t = top[i];
                    top[i] = s;
                    s = t;
                }
            }
        }
        String bestIntent = null;
        double bestScore = 0;
        for (var entry : best.entrySet()) {
            double[] top = entry.getValue();
            double score = (2 * top[0] + top[1] + top[2]) / 4;
            if (score > bestScore) {
                bestScore = score;
                bestIntent = entry.getKey();
            }
        }
        return new Match(bestIntent == null ? null : new Intent(bestIntent, Math.min(1.0, bestScore)), bestScore);
    }
}
