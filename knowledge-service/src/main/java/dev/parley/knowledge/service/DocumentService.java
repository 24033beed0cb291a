package dev.parley.knowledge.service;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.knowledge.KnowledgeDocument;
import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.ingest.TextExtractor;
import dev.parley.knowledge.messaging.CommandPublisher;
import dev.parley.knowledge.repository.DocumentRepository;
import dev.parley.knowledge.repository.DocumentRepository.NewDocument;
import dev.parley.knowledge.repository.Transactions;
import dev.parley.knowledge.rest.KnowledgeApi;
import dev.parley.knowledge.search.ChunkIndex;
import dev.parley.knowledge.search.Embedder;

/**
 * Documents of a tenant: accepted as pending in the database, then ingested asynchronously (see {@link Ingestor}).
 * Every method is confined to the given tenant: another tenant's document is not found.
 */
@ApplicationScoped
public class DocumentService {

    @Inject
    Transactions transactions;
    @Inject
    DocumentRepository documents;
    @Inject
    CommandPublisher publisher;
    @Inject
    IndexFollower index;
    @Inject
    Embedder embedder;
    @Inject
    KnowledgeConfig config;
    @Inject
    Validator validator;
    @Inject
    ObjectMapper json;

    public record FileInput(byte[] content, String contentType, String filename, String title, String source,
            List<String> tags, String botId) {
    }

    public KnowledgeDocument create(String tenantId, KnowledgeApi.DocumentInput input) throws SQLException {
        return accept(List.of(fromText(tenantId, UUID.randomUUID(), input, null)), null).get(0);
    }

    public KnowledgeDocument createFile(String tenantId, FileInput input) throws SQLException {
        return accept(List.of(fromFile(tenantId, UUID.randomUUID(), input)), null).get(0);
    }

    public KnowledgeDocument update(String tenantId, UUID id, KnowledgeApi.DocumentInput input) throws SQLException {
        return replace(fromText(tenantId, id, input, null));
    }

    public KnowledgeDocument updateFile(String tenantId, UUID id, FileInput input) throws SQLException {
        return replace(fromFile(tenantId, id, input));
    }

    public KnowledgeDocument get(String tenantId, UUID id) throws SQLException {
        return transactions.run(c -> documents.find(c, tenantId, id)).orElseThrow(() -> notFound(id));
    }

    public KnowledgeApi.DocumentPage list(String tenantId, String botId, String tag, String status, String cursor,
            int limit) throws SQLException {
        var after = cursor == null || cursor.isBlank() ? null : decodeCursor(cursor);
        var rows = transactions.run(c -> documents.page(c, tenantId, botId, tag, status, after, limit));
        boolean more = rows.size() > limit;
        var page = more ? rows.subList(0, limit) : rows;
        String next = null;
        if (more) {
            var last = page.get(page.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt().toString() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new KnowledgeApi.DocumentPage(page.stream().map(KnowledgeApi.DocumentView::of).toList(), next);
    }

    /** Removes the document and its chunks; every replica drops it from its index. */
    public void delete(String tenantId, UUID id) throws SQLException {
        boolean deleted = transactions.run(c -> {
            if (!documents.delete(c, tenantId, id)) {
                return false;
            }
            documents.appendChange(c, tenantId, List.of(id), "document");
            return true;
        });
        if (!deleted) {
            throw notFound(id);
        }
        index.catchUp();
    }

    /** Erases every document, chunk and import of the tenant, from the database and every replica's index. */
    public int eraseTenant(String tenantId) throws SQLException {
        int erased = transactions.run(c -> {
            int count = documents.eraseTenant(c, tenantId);
            documents.appendChange(c, tenantId, java.util.Collections.singletonList(null), "tenant_erased");
            return count;
        });
        index.catchUp();
        return erased;
    }

    public List<KnowledgeApi.SearchResult> search(String tenantId, KnowledgeApi.SearchInput input) {
        var mode = input.mode() == null ? ChunkIndex.Mode.HYBRID
                : ChunkIndex.Mode.valueOf(input.mode().toUpperCase(java.util.Locale.ROOT));
        if (!index.mayHaveChunks(tenantId)) {
            // Nothing of the tenant's is indexed: skip the query's embedding (most of a search's cost).
            return List.of();
        }
        float[] vector = mode == ChunkIndex.Mode.KEYWORD ? null : embedder.query(input.query());
        var hits = index.search(new ChunkIndex.Request(tenantId, input.query(), vector, input.botId(),
                input.tags() == null ? List.of() : input.tags(), input.limit() == null ? 5 : input.limit(), mode,
                ChunkIndex.Fusion.RRF));
        return hits.stream().map(h -> new KnowledgeApi.SearchResult(h.documentId(), h.chunkId(), h.title(), h.heading(),
                h.snippet(), h.text(), h.source(), h.score(), Double.isNaN(h.similarity()) ? null : h.similarity(),
                h.tags(), h.botId(), h.ordinal())).toList();
    }

    /** An NDJSON import: every line is a document like the JSON body of create. All lines are valid or none is stored. */
    public KnowledgeApi.ImportAccepted importNdjson(String tenantId, String body) throws SQLException {
        var reader = json.readerFor(KnowledgeApi.DocumentInput.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var lines = body.split("\r?\n");
        UUID importId = UUID.randomUUID();
        var batch = new ArrayList<NewDocument>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            KnowledgeApi.DocumentInput input;
            try {
                input = reader.readValue(lines[i]);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED, "line " + (i + 1) + ": not a document ("
                        + e.getOriginalMessage() + ")");
            }
            var violations = validator.validate(input);
            if (!violations.isEmpty()) {
                var v = violations.iterator().next();
                throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                        "line " + (i + 1) + ": " + v.getPropertyPath() + ": " + v.getMessage());
            }
            batch.add(fromText(tenantId, UUID.randomUUID(), input, importId));
            if (batch.size() > config.ingest().maxImportDocuments()) {
                throw new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE,
                        "At most " + config.ingest().maxImportDocuments() + " documents per import");
            }
        }
        if (batch.isEmpty()) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "The import holds no document");
        }
        var accepted = accept(batch, importId);
        return new KnowledgeApi.ImportAccepted(importId.toString(), accepted.size(),
                accepted.stream().map(d -> d.id().toString()).toList());
    }

    public KnowledgeApi.ImportProgress importProgress(String tenantId, UUID importId) throws SQLException {
        var progress = transactions.run(c -> documents.importProgress(c, tenantId, importId))
                .orElseThrow(() -> new ProblemException(ProblemCode.IMPORT_NOT_FOUND, "No import " + importId));
        return new KnowledgeApi.ImportProgress(importId.toString(), progress.total(), progress.pending(),
                progress.indexed(), progress.failed(), progress.pending() == 0, progress.createdAt());
    }

    private List<KnowledgeDocument> accept(List<NewDocument> batch, UUID importId) throws SQLException {
        Instant now = Instant.now();
        var stored = transactions.run(c -> {
            if (importId != null) {
                documents.insertImport(c, importId, batch.get(0).tenantId(), batch.size(), now);
            }
            documents.insert(c, batch, now);
            var result = new ArrayList<KnowledgeDocument>(batch.size());
            for (NewDocument d : batch) {
                result.add(documents.find(c, d.tenantId(), d.id()).orElseThrow());
            }
            return result;
        });
        publisher.requestIngestion(stored);
        return stored;
    }

    private KnowledgeDocument replace(NewDocument d) throws SQLException {
        var updated = transactions.run(c -> documents.replace(c, d, Instant.now())).orElseThrow(() -> notFound(d.id()));
        publisher.requestIngestion(List.of(updated));
        return updated;
    }

    private NewDocument fromText(String tenantId, UUID id, KnowledgeApi.DocumentInput input, UUID importId) {
        return new NewDocument(id, tenantId, input.botId(), input.title().strip(), input.source(), tags(input.tags()),
                input.text().getBytes(StandardCharsets.UTF_8), null, null, importId);
    }

    private NewDocument fromFile(String tenantId, UUID id, FileInput input) {
        if (input.content() == null || input.content().length == 0) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "file: the file is empty");
        }
        if (input.content().length > config.ingest().maxDocumentBytes()) {
            throw new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE,
                    "file: larger than " + config.ingest().maxDocumentBytes() + " bytes");
        }
        String title = input.title() != null && !input.title().isBlank() ? input.title().strip() : input.filename();
        if (title == null || title.isBlank()) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "title: required when the file has no name");
        }
        if (title.length() > 300) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "title: size must be between 0 and 300");
        }
        if (input.source() != null && input.source().length() > 2000) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "source: size must be between 0 and 2000");
        }
        if (input.botId() != null && !input.botId().matches(KnowledgeApi.ID_PATTERN)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "botId: may contain only letters, digits and . _ : @ -");
        }
        var tags = tags(input.tags());
        if (tags.size() > 20 || tags.stream().anyMatch(t -> !t.matches(KnowledgeApi.TAG_PATTERN))) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "tags: at most 20, each 1-64 letters, digits or . _ : / -");
        }
        String type = input.contentType() == null ? "application/octet-stream" : input.contentType();
        String base = type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!base.equals("application/octet-stream") && !TextExtractor.supported(base)) {
            throw new ProblemException(ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported document type " + base + "; send text, Markdown, HTML, PDF or DOCX");
        }
        return new NewDocument(id, tenantId, input.botId(), title, input.source(), tags, input.content(), type,
                input.filename(), null);
    }

    private static List<String> tags(List<String> tags) {
        return tags == null ? List.of() : tags.stream().distinct().toList();
    }

    private static DocumentRepository.Cursor decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            return new DocumentRepository.Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemCode.INVALID_CURSOR, "The cursor is not one this API returned");
        }
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(ProblemCode.DOCUMENT_NOT_FOUND, "No knowledge document " + id);
    }
}
