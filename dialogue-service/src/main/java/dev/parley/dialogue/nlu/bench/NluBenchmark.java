package dev.parley.dialogue.nlu.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.parley.dialogue.nlu.BotNlu;
import dev.parley.dialogue.nlu.EmbeddingCache;
import dev.parley.dialogue.nlu.EmbeddingModelChoice;
import dev.parley.dialogue.nlu.EntityExtractor;
import dev.parley.dialogue.nlu.IntentMatcher;
import dev.parley.dialogue.nlu.IntentModel;
import dev.parley.dialogue.nlu.IntentTrainer;
import dev.parley.dialogue.nlu.KnnIndex;
import dev.parley.dialogue.nlu.OnnxSentenceEncoder;
import dev.parley.dialogue.nlu.SoftmaxRegression;
import dev.parley.dialogue.nlu.TextNormaliser;
import dev.parley.dialogue.service.DemoBot;

/**
 * The NLU benchmark ({@code ./parley bench nlu}): on the BANKING77 training split, every fifth phrase of each
 * intent is held out and the rest trains the classifier, exactly as a bot version is trained on publish. Prints,
 * per embedding model: held-out accuracy of the classifier and of plain weighted kNN over the same frozen
 * embeddings (and the TF-IDF baseline), out-of-scope recognition on the project's out-of-scope set with the
 * in-scope accuracy at the same threshold, training time, and the latency of a full parse (embedding, classifier,
 * entities) on one thread.
 */
public final class NluBenchmark {

    private static final double TF_IDF_THRESHOLD = 0.3;

    private final PrintStream out = System.out;
    private final int threads;
    private final IntentTrainer.Options options;
    private final Path store;

    private NluBenchmark(int threads, IntentTrainer.Options options, Path store) {
        this.threads = threads;
        this.options = options;
        this.store = store;
    }

    public static void main(String[] args) throws IOException {
        List<EmbeddingModelChoice> models = List.of(EmbeddingModelChoice.values());
        int threads = 1;
        var options = IntentTrainer.Options.defaults();
        Path store = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
            case "--model" -> {
                String value = args[++i];
                models = value.equals("all") ? List.of(EmbeddingModelChoice.values())
                        : List.of(EmbeddingModelChoice.of(value));
            }
            case "--threads" -> threads = Integer.parseInt(args[++i]);
            case "--in-scope-retention" -> options = options.withInScopeRetention(Double.parseDouble(args[++i]));
            case "--knn-weight" -> options = options.withKnnWeight(Double.parseDouble(args[++i]));
            case "--epochs" -> {
                var r = options.regression();
                options = options.withRegression(new SoftmaxRegression.Options(Integer.parseInt(args[++i]),
                        r.batchSize(), r.learningRate(), r.weightDecay(), r.seed()));
            }
            case "--learning-rate" -> {
                var r = options.regression();
                options = options.withRegression(new SoftmaxRegression.Options(r.epochs(), r.batchSize(),
                        Double.parseDouble(args[++i]), r.weightDecay(), r.seed()));
            }
            case "--no-refit" -> options = options.withRefit(false);
            case "--embedding-store" -> store = Path.of(args[++i]);
            case "--help", "-h" -> {
                usage();
                return;
            }
            default -> {
                System.err.println("Unknown option " + arg);
                usage();
                System.exit(2);
            }
            }
        }
        var benchmark = new NluBenchmark(threads, options, store);
        for (var model : models) {
            benchmark.run(model);
        }
    }

    private static void usage() {
        System.out.println("""
                Usage: ./parley bench nlu [options]
                  --model M                 bge-small-en-v15-q, all-minilm-l6-v2-q or all (default: all)
                  --threads N               ONNX Runtime threads per embedding (default 1: one core)
                  --in-scope-retention R    share of calibration phrases kept in scope (default 0.99)
                  --knn-weight W            weight of the kNN vote in the blend (default 0.7)
                  --epochs N                training epochs of the softmax regression (default 24)
                  --learning-rate R         Adam step size (default 0.002)
                  --no-refit                keep the model fitted without the calibration slice
                  --embedding-store FILE    reuse training/held-out embeddings between runs (latency is still
                                            measured on fresh embeddings)""");
    }

    private void run(EmbeddingModelChoice choice) throws IOException {
        Map<String, List<String>> phrases;
        try (InputStream csv = resource("demo/banking77/train.csv")) {
            phrases = DemoBot.readTrainingPhrases(csv);
        }
        List<String> outOfScope = outOfScopeTexts();
        var train = new LinkedHashMap<String, List<String>>();
        var heldOut = new LinkedHashMap<String, List<String>>();
        phrases.forEach((intent, examples) -> {
            for (int i = 0; i < examples.size(); i++) {
                (i % 5 == 4 ? heldOut : train).computeIfAbsent(intent, k -> new ArrayList<>()).add(examples.get(i));
            }
        });
        int trainCount = train.values().stream().mapToInt(List::size).sum();
        int heldOutCount = heldOut.values().stream().mapToInt(List::size).sum();
        out.printf("%nNLU benchmark: %s, %d ONNX thread(s); BANKING77 %d intents, %d training / %d held-out "
                + "phrases, %d out-of-scope texts; %d cores, Java %s%n", choice.id(), threads, phrases.size(),
                trainCount, heldOutCount, outOfScope.size(), Runtime.getRuntime().availableProcessors(),
                Runtime.version());

        long loadStarted = System.nanoTime();
        var encoder = new OnnxSentenceEncoder(choice, threads);
        out.printf("  model loaded in %.1f s (%d dimensions)%n", (System.nanoTime() - loadStarted) / 1e9,
                encoder.dimension());

        var texts = new LinkedHashSet<String>();
        train.values().forEach(list -> list.forEach(t -> texts.add(TextNormaliser.normalise(t))));
        heldOut.values().forEach(list -> list.forEach(t -> texts.add(TextNormaliser.normalise(t))));
        outOfScope.forEach(t -> texts.add(TextNormaliser.normalise(t)));
        Map<String, float[]> embeddings = load(choice);
        var progress = new ConsoleProgress(out, "embedding " + texts.size() + " texts");
        long[] embedNanos = new long[texts.size()];
        int timed = 0;
        int done = 0;
        for (String text : texts) {
            if (!embeddings.containsKey(text)) {
                long started = System.nanoTime();
                embeddings.put(text, encoder.embed(text));
                embedNanos[timed++] = System.nanoTime() - started;
            }
            progress.update(++done / (double) texts.size());
        }
        progress.done();
        if (timed > 0) {
            out.printf("  embedding, one text (cold): p50 %.2f ms, p99 %.2f ms over %d texts%n",
                    percentile(embedNanos, timed, 50), percentile(embedNanos, timed, 99), timed);
        }
        save(choice, embeddings);

        var trainEmbeddings = new LinkedHashMap<String, List<float[]>>();
        train.forEach((intent, list) -> trainEmbeddings.put(intent,
                list.stream().map(t -> embeddings.get(TextNormaliser.normalise(t))).toList()));
        var training = new ConsoleProgress(out, "training the classifier");
        long trainStarted = System.nanoTime();
        IntentModel model = IntentTrainer.train(trainEmbeddings, options, (phase, fraction) -> training.update(fraction));
        double trainSeconds = (System.nanoTime() - trainStarted) / 1e9;
        training.done();

        // Plain weighted kNN over the same frozen embeddings, at a few neighbourhood sizes: the best is reported.
        String[] intents = trainEmbeddings.keySet().toArray(String[]::new);
        var vectors = new ArrayList<float[]>();
        var labels = new ArrayList<Integer>();
        for (int c = 0; c < intents.length; c++) {
            for (float[] v : trainEmbeddings.get(intents[c])) {
                vectors.add(v);
                labels.add(c);
            }
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        double bestKnn = 0;
        int bestK = 0;
        for (int k : new int[] { 1, 5, 10, 20 }) {
            var knn = new KnnIndex(vectors, y, intents.length, k, 20);
            int correct = 0;
            for (var entry : heldOut.entrySet()) {
                for (String text : entry.getValue()) {
                    double[] p = knn.vote(embeddings.get(TextNormaliser.normalise(text))).distribution();
                    if (intents[argmax(p)].equals(entry.getKey())) {
                        correct++;
                    }
                }
            }
            double accuracy = (double) correct / heldOutCount;
            if (accuracy > bestKnn) {
                bestKnn = accuracy;
                bestK = k;
            }
        }

        int top1 = 0;
        int inScopeCorrect = 0;
        int flaggedInScope = 0;
        for (var entry : heldOut.entrySet()) {
            for (String text : entry.getValue()) {
                var ranking = model.classify(embeddings.get(TextNormaliser.normalise(text)), 1);
                boolean right = ranking.best().intent().equals(entry.getKey());
                top1 += right ? 1 : 0;
                inScopeCorrect += right && !ranking.outOfScope() ? 1 : 0;
                flaggedInScope += ranking.outOfScope() ? 1 : 0;
            }
        }
        int oosRecognised = 0;
        for (String text : outOfScope) {
            oosRecognised += model.classify(embeddings.get(TextNormaliser.normalise(text)), 1).outOfScope() ? 1 : 0;
        }

        var tfIdf = new IntentMatcher(train);
        int tfIdfTop1 = 0;
        int tfIdfAtThreshold = 0;
        for (var entry : heldOut.entrySet()) {
            for (String text : entry.getValue()) {
                var match = tfIdf.match(text);
                boolean right = match.intent() != null && match.intent().name().equals(entry.getKey());
                tfIdfTop1 += right ? 1 : 0;
                tfIdfAtThreshold += right && match.score() >= TF_IDF_THRESHOLD ? 1 : 0;
            }
        }
        int tfIdfOos = 0;
        for (String text : outOfScope) {
            tfIdfOos += tfIdf.match(text).score() < TF_IDF_THRESHOLD ? 1 : 0;
        }

        // A full parse as the service runs it: normalise, embed (nothing cached), classify, extract entities.
        var extractor = EntityExtractor.builtInsOnly();
        var nlu = BotNlu.ready(choice.id(), model, tfIdf, TF_IDF_THRESHOLD, extractor);
        var all = heldOut.values().stream().flatMap(List::stream).toList();
        var today = LocalDate.now();
        var warmCache = new EmbeddingCache(encoder, 1_000);
        for (int i = 0; i < 300; i++) {
            nlu.parse(all.get(i), warmCache, today);
        }
        var parses = new ConsoleProgress(out, "timing " + all.size() + " parses");
        long[] parseNanos = new long[all.size()];
        var fresh = new EmbeddingCache(encoder, all.size() + 1);
        for (int i = 0; i < all.size(); i++) {
            long started = System.nanoTime();
            nlu.parse(all.get(i), fresh, today);
            parseNanos[i] = System.nanoTime() - started;
            parses.update((i + 1.0) / all.size());
        }
        parses.done();
        long[] cachedNanos = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            long started = System.nanoTime();
            nlu.parse(all.get(i), fresh, today);
            cachedNanos[i] = System.nanoTime() - started;
        }
        // Where a cached parse spends its time: the classifier (softmax, kNN, out-of-scope distance), the entities.
        long[] classifyNanos = new long[all.size()];
        long[] entityNanos = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            float[] embedding = fresh.embed(all.get(i));
            long started = System.nanoTime();
            model.classify(embedding, 10);
            long classified = System.nanoTime();
            extractor.extract(all.get(i), today);
            classifyNanos[i] = classified - started;
            entityNanos[i] = System.nanoTime() - classified;
        }

        out.printf("%n  Results for %s%n", choice.id());
        out.printf("  held-out accuracy (top-1), classifier:      %6.2f%%  (%d phrases)%n", 100.0 * top1 / heldOutCount,
                heldOutCount);
        out.printf("  held-out accuracy, plain weighted kNN:      %6.2f%%  (best k = %d)%n", 100 * bestKnn, bestK);
        out.printf("  held-out accuracy, TF-IDF baseline:         %6.2f%%  (%.2f%% at its threshold %.2f)%n",
                100.0 * tfIdfTop1 / heldOutCount, 100.0 * tfIdfAtThreshold / heldOutCount, TF_IDF_THRESHOLD);
        out.printf("  out-of-scope recognised:                    %6.2f%%  (%d of %d; TF-IDF baseline %.2f%%)%n",
                100.0 * oosRecognised / outOfScope.size(), oosRecognised, outOfScope.size(),
                100.0 * tfIdfOos / outOfScope.size());
        out.printf("  in-scope accuracy at the threshold:         %6.2f%%  (%.2f%% of in-scope phrases flagged; %s "
                + "threshold %.2f)%n", 100.0 * inScopeCorrect / heldOutCount, 100.0 * flaggedInScope / heldOutCount,
                model.outOfScopeMeasure(), model.threshold());
        out.printf("  calibration: temperature %.3f; kNN weight %.2f%n", model.temperature(), model.knnWeight());
        out.printf("  training time (classifier, %d phrases):    %6.2f s%n", trainCount, trainSeconds);
        out.printf("  parse latency, one thread, new text:        p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                percentile(parseNanos, parseNanos.length, 50), percentile(parseNanos, parseNanos.length, 99),
                percentile(parseNanos, parseNanos.length, 100));
        out.printf("  parse latency, one thread, cached text:     p50 %.3f ms, p99 %.3f ms%n",
                percentile(cachedNanos, cachedNanos.length, 50), percentile(cachedNanos, cachedNanos.length, 99));
        out.printf("    of which classifier and out-of-scope:     p50 %.3f ms, p99 %.3f ms; entities p50 %.3f ms, "
                + "p99 %.3f ms%n", percentile(classifyNanos, classifyNanos.length, 50),
                percentile(classifyNanos, classifyNanos.length, 99), percentile(entityNanos, entityNanos.length, 50),
                percentile(entityNanos, entityNanos.length, 99));
        encoder.close();
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double percentile(long[] nanos, int count, double percentile) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
    }

    static List<String> outOfScopeTexts() throws IOException {
        try (InputStream in = resource("nlu/out-of-scope.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = NluBenchmark.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("Missing resource " + path);
        }
        return in;
    }

    private Map<String, float[]> load(EmbeddingModelChoice choice) throws IOException {
        var map = new HashMap<String, float[]>();
        if (store == null || !Files.exists(file(choice))) {
            return map;
        }
        try (var in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file(choice))))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String text = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int d = 0; d < v.length; d++) {
                    v[d] = in.readFloat();
                }
                map.put(text, v);
            }
        }
        out.printf("  %d embeddings reused from %s%n", map.size(), file(choice));
        return map;
    }

    private void save(EmbeddingModelChoice choice, Map<String, float[]> embeddings) throws IOException {
        if (store == null) {
            return;
        }
        try (var out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file(choice))))) {
            out.writeInt(embeddings.size());
            for (var entry : embeddings.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeInt(entry.getValue().length);
                for (float f : entry.getValue()) {
                    out.writeFloat(f);
                }
            }
        }
    }

    private Path file(EmbeddingModelChoice choice) {
        return Path.of(store.toString() + "." + choice.id());
    }
}
