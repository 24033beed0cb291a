package dev.parley.knowledge.service;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.events.KnowledgeCommand;
import dev.parley.knowledge.KnowledgeDocument;
import dev.parley.knowledge.fetch.FetchFailed;
import dev.parley.knowledge.fetch.FetchPolicy;
import dev.parley.knowledge.fetch.PageTitles;
import dev.parley.knowledge.fetch.UrlFetcher;
import dev.parley.knowledge.ingest.Chunk;
import dev.parley.knowledge.ingest.Chunker;
import dev.parley.knowledge.ingest.Section;
import dev.parley.knowledge.ingest.TextExtractor;
import dev.parley.knowledge.ingest.UnreadableDocumentException;
import dev.parley.knowledge.repository.DocumentRepository;
import dev.parley.knowledge.repository.Transactions;
import dev.parley.knowledge.search.Embedder;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Ingests one document version: parse, chunk, embed (outside any transaction), then in one transaction store the
 * chunks, mark the document indexed and append to the change log, but only if that version is still the current,
 * pending one. A document that cannot be read is marked failed with the reason; a redelivered command is a no-op.
 * A URL document's content is downloaded first ({@link UrlFetcher}); a refused or failed download fails the version
 * with the fetch's reason ({@code blocked_address: ...}, {@code http_404: ...}).
 */
@ApplicationScoped
public class Ingestor {

    private static final Logger LOG = Logger.getLogger(Ingestor.class);

    @Inject
    Transactions transactions;
    @Inject
    DocumentRepository documents;
    @Inject
    TextExtractor extractor;
    @Inject
    Chunker chunker;
    @Inject
    Embedder embedder;
    @Inject
    IndexFollower follower;
    @Inject
    MeterRegistry metrics;
    @Inject
    UrlFetcher fetcher;

    static final String DOCUMENT_ACCEPT = "text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9, "
            + "application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, */*;q=0.1";

    public void ingest(KnowledgeCommand command) throws SQLException {
        UUID id = UUID.fromString(command.documentId());
        var content = DatabaseOutages.waitOut(() -> transactions.run(c -> documents.lockForIngest(c, id)));
        if (content.isEmpty() || !current(content.get().document(), command.version())) {
            return; // deleted, replaced by a newer version, or already done
        }
        KnowledgeDocument document = content.get().document();
        byte[] bytes = content.get().bytes();
        String contentType = document.contentType();
        String filename = document.filename();
        String title = document.title();
        UrlFetcher.Fetched fetched = null;
        List<DocumentRepository.StoredChunk> chunks = List.of();
        String failure = null;
        if (document.fetchPending()) {
            // A URL document: download this version's content first (every hop under the SSRF policy).
            try {
                fetched = fetcher.fetch(document.fetchUrl(), FetchPolicy::documentType, DOCUMENT_ACCEPT);
                bytes = fetched.body();
                contentType = fetched.contentType() == null ? "application/octet-stream" : fetched.contentType();
                filename = PageTitles.filename(fetched.url());
                if (document.autoTitle()) {
                    title = PageTitles.title(bytes, fetched.baseType()).orElse(title);
                }
                metrics.counter("parley.knowledge.fetches", "outcome", "fetched").increment();
            } catch (FetchFailed e) {
                failure = e.getMessage();
                metrics.counter("parley.knowledge.fetches", "outcome", e.code()).increment();
            }
        }
        if (failure == null) {
            try {
                chunks = prepare(document, title, bytes, contentType, filename);
                if (chunks.isEmpty()) {
                    failure = "The document contains no text";
                }
            } catch (UnreadableDocumentException e) {
                chunks = List.of();
                failure = e.getMessage();
            }
        }
        final var stored = chunks;
        final String reason = failure;
        final var download = fetched;
        final String fetchedType = contentType;
        final String fetchedName = filename;
        final String fetchedTitle = title.equals(document.title()) ? null : title;
        boolean applied = DatabaseOutages.waitOut(() -> transactions.run(c -> {
            var locked = documents.lockForIngest(c, id);
            if (locked.isEmpty() || !current(locked.get().document(), command.version())) {
                return false;
            }
            if (download != null) {
                documents.storeFetched(c, id, download.body(), fetchedType, fetchedName, fetchedTitle);
            }
            if (reason == null) {
                documents.storeChunks(c, id, document.tenantId(), stored, Instant.now());
            } else {
                documents.markFailed(c, id, reason);
            }
            documents.appendChange(c, document.tenantId(), List.of(id), "document");
            return true;
        }));
        if (applied) {
            metrics.counter("parley.knowledge.documents.ingested", "outcome", reason == null ? "indexed" : "failed").increment();
            metrics.counter("parley.knowledge.chunks.indexed").increment(stored.size());
            if (reason != null) {
                LOG.infof("Document %s version %d failed: %s", id, command.version(), reason);
            }
            follower.catchUp();
        }
    }

    private static boolean current(KnowledgeDocument document, int version) {
        return document.version() == version && KnowledgeDocument.PENDING.equals(document.status());
    }

    private List<DocumentRepository.StoredChunk> prepare(KnowledgeDocument document, String title, byte[] bytes,
            String contentType, String filename) throws UnreadableDocumentException {
        List<Section> sections = contentType == null
                ? extractor.fromText(new String(bytes, StandardCharsets.UTF_8))
                : extractor.fromFile(bytes, contentType, filename);
        List<Chunk> chunks = chunker.chunk(sections);
        var texts = chunks.stream().map(c -> c.embeddingText(title)).toList();
        var vectors = embedder.passages(texts);
        var stored = new ArrayList<DocumentRepository.StoredChunk>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            // Chunk ids derive from the version and the position: reprocessing a version gives the same ids.
            UUID chunkId = UUID.nameUUIDFromBytes((document.id() + ":" + document.version() + ":" + i)
                    .getBytes(StandardCharsets.UTF_8));
            stored.add(new DocumentRepository.StoredChunk(chunkId, chunk.ordinal(), chunk.heading(), chunk.text(),
                    vectors.get(i)));
        }
        return stored;
    }
}
