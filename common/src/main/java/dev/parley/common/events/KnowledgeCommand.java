package dev.parley.common.events;

import java.time.Instant;

/**
 * Asks knowledge-service to parse, chunk, embed and index one version of a document ({@code type} = {@code ingest}).
 * A command for a version that is no longer current, or already indexed, is ignored.
 */
public record KnowledgeCommand(String commandId, String type, String tenantId, String documentId, int version,
        Instant requestedAt) {

    public static final String INGEST = "ingest";
    /** CloudEvents type of the record. */
    public static final String EVENT_TYPE = "knowledge.ingest.requested";
}
