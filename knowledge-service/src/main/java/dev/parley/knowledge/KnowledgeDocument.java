package dev.parley.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A document as stored (without its content). */
public record KnowledgeDocument(UUID id, String tenantId, String botId, String title, String source, List<String> tags,
        String status, String failureReason, int version, int chunkCount, String contentType, String filename,
        UUID importId, Instant createdAt, Instant updatedAt, Instant indexedAt, UUID sourceId, String fetchUrl,
        boolean fetchPending, boolean autoTitle) {

    public static final String PENDING = "pending";
    public static final String INDEXED = "indexed";
    public static final String FAILED = "failed";
}
