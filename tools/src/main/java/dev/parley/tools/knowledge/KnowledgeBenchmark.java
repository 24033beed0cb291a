package dev.parley.tools.knowledge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.apache.lucene.store.ByteBuffersDirectory;

import dev.parley.knowledge.ingest.Chunk;
import dev.parley.knowledge.ingest.Chunker;
import dev.parley.knowledge.ingest.TextExtractor;
import dev.parley.knowledge.search.ChunkIndex;
import dev.parley.knowledge.search.Embedder;

/**
 * Retrieval quality and speed of knowledge-service's search, in process, with the service's own classes (Tika-free
 * text path, chunker, BGE small embeddings, Lucene index, fusion): recall@5 and MRR of BM25, vectors and hybrid on a
 * BANKING77-derived corpus, ingestion chunks/s, then search latency with the index filled to N chunks.
 *
 * <pre>
 * java -cp ... dev.parley.tools.knowledge.KnowledgeBenchmark [--dataset PATH] [--chunks 100000] [--searches 2000]
 *     [--documents-per-intent 7] [--questions-per-intent 3] [--merge]
 * </pre>
 */
public final class KnowledgeBenchmark {

    private static final String TENANT = "bench";

    public static void main(String[] args) throws Exception {
        var options = options(args);
        Path dataset = Path.of(options.getOrDefault("dataset", defaultDataset()));
        int totalChunks = Integer.parseInt(options.getOrDefault("chunks", "100000"));
        int searches = Integer.parseInt(options.getOrDefault("searches", "2000"));
        int documentsPerIntent = Integer.parseInt(options.getOrDefault("documents-per-intent", "7"));
        int questionsPerIntent = Integer.parseInt(options.getOrDefault("questions-per-intent", "3"));
        boolean merge = options.containsKey("merge");
        boolean tty = System.console() != null;
        var out = System.out;
        var err = System.err;

        var corpus = RetrievalCorpus.build(dataset, documentsPerIntent, questionsPerIntent, 42);
        out.printf(Locale.ROOT, "Corpus: %d documents, %d questions (BANKING77 training split, seed 42)%n",
                corpus.articles.size(), corpus.questions.size());

        err.println("Loading the embedding model...");
        var embedder = new Embedder(Embedder.DEFAULT_MODEL, "Represent this sentence for searching relevant passages: ");
        var extractor = new TextExtractor();
        var chunker = new Chunker(800, 160);

        // 1. Ingestion: text -> sections -> chunks -> embeddings -> index, as the consumer does (minus the database).
        var index = new ChunkIndex(new ByteBuffersDirectory(), 50, 60);
        var articleOfChunk = new HashMap<String, String>();
        var vectors = new ArrayList<float[]>();
        var progress = new Progress(err, tty, "ingesting documents", corpus.articles.size());
        long chunks = 0;
        long started = System.nanoTime();
        for (int i = 0; i < corpus.articles.size(); i++) {
            var article = corpus.articles.get(i);
            List<Chunk> pieces = chunker.chunk(extractor.fromText(article.markdown()));
            var embedded = embedder.passages(pieces.stream().map(c -> c.embeddingText(article.title())).toList());
            var indexed = new ArrayList<ChunkIndex.IndexedChunk>();
            for (int c = 0; c < pieces.size(); c++) {
                String chunkId = article.id() + "#" + c;
                indexed.add(new ChunkIndex.IndexedChunk(chunkId, c, pieces.get(c).heading(), pieces.get(c).text(), embedded.get(c)));
                vectors.add(embedded.get(c));
            }
            index.replace(new ChunkIndex.DocumentEntry(article.id(), TENANT, null, List.of(article.intent()), article.title(),
                    null, indexed));
            chunks += pieces.size();
            progress.update(i + 1);
        }
        index.refresh();
        double ingestSeconds = (System.nanoTime() - started) / 1e9;
        corpus.articles.forEach(a -> articleOfChunk.put(a.id(), a.intent()));
        out.printf(Locale.ROOT, "Ingestion: %d chunks from %d documents in %.1f s = %.1f chunks/s (chunk, embed, index; 1 thread)%n",
                chunks, corpus.articles.size(), ingestSeconds, chunks / ingestSeconds);

        // 2. Quality: recall@5 (a relevant document among the top 5) and MRR (first relevant document, over the top 10).
        var queryVectors = new ArrayList<float[]>();
        progress = new Progress(err, tty, "embedding questions", corpus.questions.size());
        long embedStarted = System.nanoTime();
        for (int i = 0; i < corpus.questions.size(); i++) {
            queryVectors.add(embedder.query(corpus.questions.get(i).text()));
            progress.update(i + 1);
        }
        double embedMillis = (System.nanoTime() - embedStarted) / 1e6 / corpus.questions.size();
        out.printf(Locale.ROOT, "%nQuality over %d questions (relevant = the %d articles of the question's intent):%n",
                corpus.questions.size(), documentsPerIntent);
        out.printf(Locale.ROOT, "  %-30s %9s %7s%n", "method", "recall@5", "MRR@10");
        record Method(String name, ChunkIndex.Mode mode, ChunkIndex.Fusion fusion) {
        }
        var methods = List.of(new Method("BM25 alone", ChunkIndex.Mode.KEYWORD, ChunkIndex.Fusion.RRF),
                new Method("vectors alone", ChunkIndex.Mode.VECTOR, ChunkIndex.Fusion.RRF),
                new Method("hybrid, RRF k=60 (default)", ChunkIndex.Mode.HYBRID, ChunkIndex.Fusion.RRF),
                new Method("hybrid, min-max weighted 0.5", ChunkIndex.Mode.HYBRID, ChunkIndex.Fusion.WEIGHTED));
        for (Method method : methods) {
            double hits = 0;
            double reciprocal = 0;
            for (int q = 0; q < corpus.questions.size(); q++) {
                var question = corpus.questions.get(q);
                var results = index.search(new ChunkIndex.Request(TENANT, question.text(), queryVectors.get(q), null,
                        List.of(), 10, method.mode(), method.fusion()));
                for (int r = 0; r < results.size(); r++) {
                    if (question.intent().equals(articleOfChunk.get(results.get(r).documentId()))) {
                        if (r < 5) {
                            hits++;
                        }
                        reciprocal += 1.0 / (r + 1);
                        break;
                    }
                }
            }
            out.printf(Locale.ROOT, "  %-30s %8.1f%% %7.3f%n", method.name(), 100 * hits / corpus.questions.size(),
                    reciprocal / corpus.questions.size());
        }

        // 3. Latency at N chunks: synthetic chunks fill the same tenant up to N.
        var random = new Random(7);
        long synthetic = Math.max(0, totalChunks - chunks);
        progress = new Progress(err, tty, "filling synthetic chunks", synthetic);
        int batch = 0;
        for (long i = 0; i < synthetic; i++) {
            var text = new StringBuilder();
            for (int p = 0; p < 4; p++) {
                text.append(corpus.phrases.get(random.nextInt(corpus.phrases.size()))).append(' ');
            }
            float[] base = vectors.get(random.nextInt(vectors.size()));
            float[] noisy = new float[base.length];
            double norm = 0;
            for (int d = 0; d < base.length; d++) {
                noisy[d] = base[d] + (float) (random.nextGaussian() * 0.03);
                norm += noisy[d] * noisy[d];
            }
            for (int d = 0; d < base.length; d++) {
                noisy[d] /= (float) Math.sqrt(norm);
            }
            String id = "synthetic-" + i;
            index.replace(new ChunkIndex.DocumentEntry(id, TENANT, i % 3 == 0 ? "bot-a" : null,
                    List.of("tag-" + (i % 10)), "Synthetic article " + i, null,
                    List.of(new ChunkIndex.IndexedChunk(id + "#0", 0, "", text.toString().strip(), noisy))));
            if (++batch % 1000 == 0) {
                progress.update(i + 1);
            }
        }
        progress.update(synthetic);
        err.println("Refreshing" + (merge ? " and merging to one segment" : "") + "...");
        if (merge) {
            index.optimise();
        } else {
            index.refresh();
        }
        out.printf(Locale.ROOT, "%nLatency with %,d chunks in the searched tenant (%,d synthetic: 4 random BANKING77 phrases, "
                + "vector = a real chunk's embedding + N(0, 0.03) noise, renormalised)%s:%n", index.size(), synthetic,
                merge ? ", index merged to one segment" : "");
        for (Method method : methods.subList(0, 3)) {
            long[] nanos = new long[searches];
            int warmup = Math.min(200, searches);
            progress = new Progress(err, tty, "searching: " + method.name(), searches + warmup);
            for (int s = -warmup; s < searches; s++) {
                int q = Math.floorMod(s, corpus.questions.size());
                long t0 = System.nanoTime();
                index.search(new ChunkIndex.Request(TENANT, corpus.questions.get(q).text(), queryVectors.get(q), null,
                        List.of(), 5, method.mode(), method.fusion()));
                if (s >= 0) {
                    nanos[s] = System.nanoTime() - t0;
                }
                progress.update(s + warmup + 1);
            }
            Arrays.sort(nanos);
            out.printf(Locale.ROOT, "  %-30s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms  (%d searches, top 5)%n",
                    method.name(), nanos[searches / 2] / 1e6, nanos[(int) Math.ceil(searches * 0.99) - 1] / 1e6,
                    nanos[searches - 1] / 1e6, searches);
        }
        // With a bot filter (a third of the synthetic chunks belong to bot-a; the rest are tenant-wide).
        long[] nanos = new long[searches];
        for (int s = 0; s < searches; s++) {
            int q = s % corpus.questions.size();
            long t0 = System.nanoTime();
            index.search(new ChunkIndex.Request(TENANT, corpus.questions.get(q).text(), queryVectors.get(q), "bot-b",
                    List.of(), 5, ChunkIndex.Mode.HYBRID, ChunkIndex.Fusion.RRF));
            nanos[s] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        out.printf(Locale.ROOT, "  %-30s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms%n", "hybrid, filtered by bot",
                nanos[searches / 2] / 1e6, nanos[(int) Math.ceil(searches * 0.99) - 1] / 1e6, nanos[searches - 1] / 1e6);
        out.printf(Locale.ROOT, "  query embedding (BGE small, quantized): mean %.2f ms per query, before the search%n", embedMillis);
        index.close();
    }

    private static String defaultDataset() {
        for (String candidate : List.of("dialogue-service/src/main/resources/demo/banking77/train.csv",
                "../dialogue-service/src/main/resources/demo/banking77/train.csv")) {
            if (Files.exists(Path.of(candidate))) {
                return candidate;
            }
        }
        return "dialogue-service/src/main/resources/demo/banking77/train.csv";
    }

    private static Map<String, String> options(String[] args) {
        var options = new HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("merge") || name.equals("help")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        if (options.containsKey("help")) {
            System.out.println("Usage: KnowledgeBenchmark [--dataset train.csv] [--chunks 100000] [--searches 2000] "
                    + "[--documents-per-intent 7] [--questions-per-intent 3] [--merge]");
            System.exit(0);
        }
        return options;
    }
}
