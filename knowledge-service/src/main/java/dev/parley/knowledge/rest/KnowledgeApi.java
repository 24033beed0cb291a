package dev.parley.knowledge.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.knowledge.KnowledgeDocument;
import dev.parley.knowledge.UrlSource;

/** Bodies of knowledge-service's internal API (the gateway's public API mirrors them). */
public final class KnowledgeApi {

    private KnowledgeApi() {
    }

    public static final String ID_PATTERN = "[A-Za-z0-9._:@-]+";
    public static final String TAG_PATTERN = "[A-Za-z0-9._:/-]{1,64}";
    public static final int MAX_TEXT_CHARACTERS = 2_000_000;

    public record DocumentInput(
            @Schema(description = "Shown with every search result from this document") @NotBlank @Size(max = 300) String title,
            @Schema(description = "The document's text; Markdown headings are kept as structure") @NotBlank @Size(max = MAX_TEXT_CHARACTERS) String text,
            @Schema(description = "Where it came from, e.g. a URL; returned with search results") @Size(max = 2000) String source,
            @Size(max = 20) List<@NotNull @Pattern(regexp = TAG_PATTERN, message = "tags are 1-64 letters, digits or . _ : / -") String> tags,
            @Schema(description = "Only this bot's searches see the document; every bot of the tenant when absent") @Size(max = 128) @Pattern(regexp = ID_PATTERN, message = "may contain only letters, digits and . _ : @ -") String botId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DocumentView(String documentId, String title, String source, List<String> tags, String botId,
            @Schema(description = "pending, indexed or failed") String status,
            @Schema(description = "Why ingestion failed, when it did") String failureReason,
            int version, int chunkCount, String contentType, String filename, String importId, Instant createdAt,
            Instant updatedAt, Instant indexedAt,
            @Schema(description = "The URL source that listed this page, for a document fetched from a URL") String sourceId) {

        public static DocumentView of(KnowledgeDocument d) {
            return new DocumentView(d.id().toString(), d.title(), d.source(), d.tags(), d.botId(), d.status(),
                    d.failureReason(), d.version(), d.chunkCount(), d.contentType(), d.filename(),
                    d.importId() == null ? null : d.importId().toString(), d.createdAt(), d.updatedAt(), d.indexedAt(),
                    d.sourceId() == null ? null : d.sourceId().toString());
        }
    }

    public record SourceInput(
            @Schema(description = "The page, or the sitemap, to fetch (http or https)", examples = "https://help.example.com/sitemap.xml") @NotBlank @Size(max = 2000) String url,
            @Schema(description = "page: one document; sitemap: one document per page it lists (urlset or sitemapindex)") @NotNull @Pattern(regexp = "page|sitemap", message = "must be page or sitemap") String kind,
            @Schema(description = "Title of the documents; each page's own title when absent") @Size(max = 300) String title,
            @Size(max = 20) List<@NotNull @Pattern(regexp = TAG_PATTERN, message = "tags are 1-64 letters, digits or . _ : / -") String> tags,
            @Schema(description = "Only this bot's searches see the documents; every bot of the tenant when absent") @Size(max = 128) @Pattern(regexp = ID_PATTERN, message = "may contain only letters, digits and . _ : @ -") String botId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceView(String sourceId, String url, String kind, String title, List<String> tags, String botId,
            @Schema(description = "pending (a sitemap not read yet), crawled or failed") String status,
            @Schema(description = "Why the sitemap could not be read, e.g. blocked_address: ..., http_404: ...") String failureReason,
            @Schema(description = "How many documents the source lists") int documentCount,
            Instant createdAt, Instant updatedAt, Instant crawledAt,
            @Schema(description = "The source's documents, each with its own status (pending, indexed, failed with the reason)") List<DocumentView> documents) {

        public static SourceView of(UrlSource s, List<KnowledgeDocument> documents) {
            return new SourceView(s.id().toString(), s.url(), s.kind(), s.title(), s.tags(), s.botId(), s.status(),
                    s.failureReason(), s.documentCount(), s.createdAt(), s.updatedAt(), s.crawledAt(),
                    documents.stream().map(DocumentView::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DocumentPage(List<DocumentView> documents,
            @Schema(description = "Pass as 'cursor' for the next (older) page; absent on the last page") String nextCursor) {
    }

    public record SearchInput(
            @Schema(examples = "How long does a card take to arrive?") @NotBlank @Size(max = 1000) String query,
            @Schema(description = "Search this bot's documents and the tenant-wide ones") @Size(max = 128) @Pattern(regexp = ID_PATTERN, message = "may contain only letters, digits and . _ : @ -") String botId,
            @Schema(description = "Only chunks of documents carrying every one of these tags") @Size(max = 20) List<@NotNull @Pattern(regexp = TAG_PATTERN, message = "tags are 1-64 letters, digits or . _ : / -") String> tags,
            @Schema(description = "How many results (1-50, default 5)") @Min(1) @Max(50) Integer limit,
            @Schema(description = "hybrid (default), keyword (BM25 only) or vector (embeddings only)") @Pattern(regexp = "hybrid|keyword|vector", message = "must be hybrid, keyword or vector") String mode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SearchResult(String documentId, String chunkId,
            @Schema(description = "The document's title") String title,
            @Schema(description = "The heading of the section the chunk comes from") String heading,
            @Schema(description = "The sentences of the chunk that best match the query") String snippet,
            @Schema(description = "The chunk's whole text, to ground an answer on") String text,
            @Schema(description = "The document's source, e.g. its URL") String source,
            @Schema(description = "Rank score of the fusion; higher is better, comparable within one response only") double score,
            @Schema(description = "Cosine similarity of the query and the chunk (-1..1), comparable across queries: a floor on it tells 'nothing relevant'") Double similarity,
            List<String> tags, String botId, int ordinal) {
    }

    public record SearchResponse(List<SearchResult> results) {
    }

    public record ImportAccepted(String importId, int total, List<String> documentIds) {
    }

    public record ImportProgress(String importId, int total, int pending, int indexed, int failed,
            @Schema(description = "True once no document of the import is pending") boolean done, Instant createdAt) {
    }

    public record Erased(String tenantId, int documents) {
    }
}
