package dev.parley.knowledge.search;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

/**
 * One replica's search index over the chunks of every tenant: BM25 over chunk text and title (English stemming),
 * HNSW over chunk embeddings (cosine), and their fusion. Every query is filtered by tenant first; bot and tags
 * narrow it further. The index is a cache of the database: it holds nothing that cannot be rebuilt from it.
 */
public final class ChunkIndex implements Closeable {

    /** Field value for documents that belong to no bot: they answer for every bot of the tenant. */
    static final String ANY_BOT = "*";
    static final String VECTOR = "vector";
    private static final int SNIPPET_CHARACTERS = 320;
    private static final int MAX_QUERY_TERMS = 64;

    public enum Mode {
        HYBRID, KEYWORD, VECTOR
    }

    public enum Fusion {
        /** Reciprocal rank fusion: sum of 1 / (k + rank) over the two rankings. */
        RRF,
        /** Convex combination of min-max normalised BM25 and cosine scores, half each. */
        WEIGHTED
    }

    public record IndexedChunk(String chunkId, int ordinal, String heading, String text, float[] vector) {
    }

    public record DocumentEntry(String documentId, String tenantId, String botId, List<String> tags, String title,
            String source, List<IndexedChunk> chunks) {
    }

    public record Request(String tenantId, String query, float[] queryVector, String botId, List<String> tags,
            int limit, Mode mode, Fusion fusion) {
    }

    /**
     * @param score      the fused score (its scale depends on the fusion; higher is better)
     * @param similarity cosine similarity of the query and the chunk, -1..1, comparable across queries
     */
    public record Hit(String documentId, String chunkId, int ordinal, String title, String heading, String snippet,
            String text, String source, String botId, List<String> tags, double score, double similarity) {
    }

    private final Directory directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final int candidates;
    private final int rrfK;

    /**
     * @param candidates how many hits each method contributes to the fusion
     * @param rrfK       the k of reciprocal rank fusion (60 in the original paper)
     */
    public ChunkIndex(Directory directory, int candidates, int rrfK) {
        try {
            this.directory = directory;
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(64));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.candidates = candidates;
        this.rrfK = rrfK;
    }

    /** Puts the document's chunks in place of whatever the index held for it. Visible after {@link #refresh()}. */
    public void replace(DocumentEntry entry) {
        try {
            var documents = new ArrayList<Document>(entry.chunks().size());
            for (IndexedChunk chunk : entry.chunks()) {
                var doc = new Document();
                doc.add(new StringField("chunkId", chunk.chunkId(), Field.Store.YES));
                doc.add(new StringField("documentId", entry.documentId(), Field.Store.YES));
                doc.add(new StringField("tenant", entry.tenantId(), Field.Store.NO));
                doc.add(new StringField("bot", entry.botId() == null ? ANY_BOT : entry.botId(), Field.Store.YES));
                for (String tag : entry.tags()) {
                    doc.add(new StringField("tag", tag, Field.Store.YES));
                }
                String heading = chunk.heading() == null ? "" : chunk.heading();
                doc.add(new TextField("title", heading.isEmpty() || heading.equals(entry.title()) ? entry.title()
                        : entry.title() + " \u2014 " + heading, Field.Store.NO));
                doc.add(new StoredField("documentTitle", entry.title()));
                doc.add(new StoredField("heading", heading));
                doc.add(new TextField("text", chunk.text(), Field.Store.YES));
                doc.add(new StoredField("ordinal", chunk.ordinal()));
                if (entry.source() != null) {
                    doc.add(new StoredField("source", entry.source()));
                }
                doc.add(new KnnFloatVectorField(VECTOR, chunk.vector(), VectorSimilarityFunction.COSINE));
                documents.add(doc);
            }
            writer.updateDocuments(new Term("documentId", entry.documentId()), documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String documentId) {
        try {
            writer.deleteDocuments(new Term("documentId", documentId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteTenant(String tenantId) {
        try {
            writer.deleteDocuments(new Term("tenant", tenantId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes every change so far visible to searches. */
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Merges segments once after a bulk load: fewer, larger HNSW graphs answer faster. */
    public void optimise() {
        try {
            writer.forceMerge(1);
            writer.commit();
            refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the tenant may have chunks in the index: a term look-up, far cheaper than embedding a query. (Deleted
     * chunks may still count until their segment merges, so true means "maybe", false means "none".)
     */
    public boolean mayHaveChunks(String tenantId) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().docFreq(new Term("tenant", tenantId)) > 0;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Hit> search(Request request) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return search(searcher, request);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Hit> search(IndexSearcher searcher, Request request) throws IOException {
        Query filter = filter(request);
        int depth = Math.max(candidates, request.limit());
        List<Ranked> keyword = List.of();
        List<Ranked> vector = List.of();
        Set<String> terms = terms(request.query());
        if (request.mode() != Mode.VECTOR && !terms.isEmpty()) {
            keyword = ranked(searcher, searcher.search(keywordQuery(terms, filter), depth).scoreDocs);
        }
        if (request.mode() != Mode.KEYWORD && request.queryVector() != null) {
            var knn = new KnnFloatVectorQuery(VECTOR, request.queryVector(), depth, filter);
            vector = ranked(searcher, searcher.search(knn, depth).scoreDocs);
        }
        Map<Integer, Double> fused = switch (request.mode()) {
            case KEYWORD -> scores(keyword);
            case VECTOR -> scores(vector);
            case HYBRID -> request.fusion() == Fusion.WEIGHTED ? weighted(keyword, vector) : reciprocalRank(keyword, vector);
        };
        var chunkIds = new HashMap<Integer, String>();
        keyword.forEach(r -> chunkIds.put(r.doc(), r.chunkId()));
        vector.forEach(r -> chunkIds.put(r.doc(), r.chunkId()));
        // Ties are broken by chunk id, not by Lucene's internal doc ids, so that replicas whose segments differ still
        // answer in the same order.
        var order = fused.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Integer, Double>> comparingDouble(Map.Entry::getValue).reversed()
                        .thenComparing(e -> chunkIds.get(e.getKey())))
                .limit(request.limit())
                .toList();
        var hits = new ArrayList<Hit>(order.size());
        var stored = searcher.storedFields();
        for (var entry : order) {
            Document doc = stored.document(entry.getKey());
            String text = doc.get("text");
            String heading = doc.get("heading");
            hits.add(new Hit(doc.get("documentId"), doc.get("chunkId"), doc.getField("ordinal").numericValue().intValue(),
                    doc.get("documentTitle"), heading == null || heading.isEmpty() ? null : heading,
                    snippet(text, terms), text, doc.get("source"),
                    ANY_BOT.equals(doc.get("bot")) ? null : doc.get("bot"), List.of(doc.getValues("tag")),
                    entry.getValue(), cosine(searcher, entry.getKey(), request.queryVector())));
        }
        return hits;
    }

    private record Ranked(int doc, String chunkId, double score) {
    }

    private static List<Ranked> ranked(IndexSearcher searcher, ScoreDoc[] hits) throws IOException {
        var stored = searcher.storedFields();
        var ranked = new ArrayList<Ranked>(hits.length);
        for (ScoreDoc hit : hits) {
            ranked.add(new Ranked(hit.doc, stored.document(hit.doc, Set.of("chunkId")).get("chunkId"), hit.score));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed().thenComparing(Ranked::chunkId));
        return ranked;
    }

    private static Map<Integer, Double> scores(List<Ranked> ranking) {
        var scores = new HashMap<Integer, Double>();
        ranking.forEach(r -> scores.put(r.doc(), r.score()));
        return scores;
    }

    private Map<Integer, Double> reciprocalRank(List<Ranked> keyword, List<Ranked> vector) {
        var scores = new HashMap<Integer, Double>();
        for (int i = 0; i < keyword.size(); i++) {
            scores.merge(keyword.get(i).doc(), 1.0 / (rrfK + i + 1), Double::sum);
        }
        for (int i = 0; i < vector.size(); i++) {
            scores.merge(vector.get(i).doc(), 1.0 / (rrfK + i + 1), Double::sum);
        }
        return scores;
    }

    private static Map<Integer, Double> weighted(List<Ranked> keyword, List<Ranked> vector) {
        var scores = new HashMap<Integer, Double>();
        addNormalised(keyword, scores);
        addNormalised(vector, scores);
        return scores;
    }

    private static void addNormalised(List<Ranked> ranking, Map<Integer, Double> scores) {
        if (ranking.isEmpty()) {
            return;
        }
        double max = ranking.get(0).score();
        double min = ranking.get(ranking.size() - 1).score();
        for (Ranked r : ranking) {
            double normalised = max == min ? 1.0 : (r.score() - min) / (max - min);
            scores.merge(r.doc(), 0.5 * normalised, Double::sum);
        }
    }

    private static Query filter(Request request) {
        var filter = new BooleanQuery.Builder().add(new TermQuery(new Term("tenant", request.tenantId())), Occur.FILTER);
        if (request.botId() != null) {
            filter.add(new BooleanQuery.Builder()
                    .add(new TermQuery(new Term("bot", request.botId())), Occur.SHOULD)
                    .add(new TermQuery(new Term("bot", ANY_BOT)), Occur.SHOULD)
                    .build(), Occur.FILTER);
        }
        if (request.tags() != null) {
            for (String tag : request.tags()) {
                filter.add(new TermQuery(new Term("tag", tag)), Occur.FILTER);
            }
        }
        return filter.build();
    }

    private static Query keywordQuery(Set<String> terms, Query filter) {
        var query = new BooleanQuery.Builder().add(filter, Occur.FILTER);
        for (String term : terms) {
            query.add(new TermQuery(new Term("text", term)), Occur.SHOULD);
            query.add(new BoostQuery(new TermQuery(new Term("title", term)), 0.5f), Occur.SHOULD);
        }
        return query.setMinimumNumberShouldMatch(1).build();
    }

    /** The query's analysed terms (stemmed, without stop words), in order, at most 64. */
    Set<String> terms(String text) {
        var terms = new LinkedHashSet<String>();
        if (text == null) {
            return terms;
        }
        try (var stream = analyzer.tokenStream("text", text)) {
            var term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    /** The passage of the chunk (whole sentences, about 320 characters) that holds most of the query's terms. */
    private String snippet(String text, Set<String> terms) {
        if (text.length() <= SNIPPET_CHARACTERS) {
            return text;
        }
        var sentences = new ArrayList<int[]>();
        var iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        iterator.setText(text);
        for (int start = iterator.first(), end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            sentences.add(new int[] { start, end });
        }
        int best = 0;
        int bestMatches = -1;
        for (int i = 0; i < sentences.size(); i++) {
            int matches = 0;
            int length = 0;
            for (int j = i; j < sentences.size() && length < SNIPPET_CHARACTERS; j++) {
                String sentence = text.substring(sentences.get(j)[0], sentences.get(j)[1]);
                length += sentence.length();
                for (String term : terms(sentence)) {
                    if (terms.contains(term)) {
                        matches++;
                    }
                }
            }
            if (matches > bestMatches) {
                bestMatches = matches;
                best = i;
            }
        }
        int start = sentences.get(best)[0];
        int end = start;
        for (int j = best; j < sentences.size() && (end == start || sentences.get(j)[1] - start <= SNIPPET_CHARACTERS); j++) {
            end = sentences.get(j)[1];
        }
        String snippet = text.substring(start, end).strip();
        if (snippet.length() > SNIPPET_CHARACTERS) {
            int cut = snippet.lastIndexOf(' ', SNIPPET_CHARACTERS);
            snippet = snippet.substring(0, cut > 0 ? cut : SNIPPET_CHARACTERS) + "\u2026";
        }
        return snippet;
    }

    private static double cosine(IndexSearcher searcher, int doc, float[] query) throws IOException {
        if (query == null) {
            return Double.NaN;
        }
        var leaves = searcher.getIndexReader().leaves();
        var leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (values == null) {
            return Double.NaN;
        }
        var iterator = values.iterator();
        if (iterator.advance(doc - leaf.docBase) != doc - leaf.docBase) {
            return Double.NaN;
        }
        float[] vector = values.vectorValue(iterator.index());
        double dot = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += vector[i] * query[i];
        }
        return dot;
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
