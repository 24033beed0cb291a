package dev.parley.gateway.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.KnowledgeBackend;
import dev.parley.gateway.client.KnowledgeBodies;
import dev.parley.gateway.security.Caller;

/** The public knowledge API: documents and search, always within the caller's tenant. */
@ApplicationScoped
public class KnowledgeService {

    /** Add, change, delete and search the tenant's knowledge documents. */
    public static final String KNOWLEDGE_MANAGE = "knowledge:manage";

    @Inject
    KnowledgeBackend knowledge;

    public record Upload(byte[] content, String contentType, String filename, String title, String source,
            List<String> tags, String botId) {
    }

    public KnowledgeBodies.DocumentView create(Caller caller, KnowledgeBodies.DocumentInput input) {
        return knowledge.create(tenant(caller), input);
    }

    public KnowledgeBodies.DocumentView upload(Caller caller, String documentId, Upload upload) {
        return knowledge.upload(tenant(caller), documentId, upload.content(), upload.contentType(), upload.filename(),
                upload.title(), upload.source(), upload.tags(), upload.botId());
    }

    public KnowledgeBodies.DocumentView update(Caller caller, String documentId, KnowledgeBodies.DocumentInput input) {
        return knowledge.update(tenant(caller), documentId, input);
    }

    public KnowledgeBodies.DocumentView get(Caller caller, String documentId) {
        return knowledge.get(tenant(caller), documentId);
    }

    public KnowledgeBodies.DocumentPage list(Caller caller, String botId, String tag, String status, String cursor,
            int limit) {
        return knowledge.list(tenant(caller), botId, tag, status, cursor, limit);
    }

    public void delete(Caller caller, String documentId) {
        knowledge.delete(tenant(caller), documentId);
    }

    public KnowledgeBodies.ImportAccepted importDocuments(Caller caller, String ndjson) {
        return knowledge.importDocuments(tenant(caller), ndjson);
    }

    public KnowledgeBodies.ImportProgress importProgress(Caller caller, String importId) {
        return knowledge.importProgress(tenant(caller), importId);
    }

    public KnowledgeBodies.SearchResponse search(Caller caller, KnowledgeBodies.SearchInput input) {
        return knowledge.search(tenant(caller), input);
    }

    public KnowledgeBodies.SourceView createSource(Caller caller, KnowledgeBodies.SourceInput input) {
        return knowledge.createSource(tenant(caller), input);
    }

    public KnowledgeBodies.SourceView source(Caller caller, String sourceId) {
        return knowledge.source(tenant(caller), sourceId);
    }

    private static String tenant(Caller caller) {
        if (!caller.may(KNOWLEDGE_MANAGE)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + KNOWLEDGE_MANAGE);
        }
        return caller.tenantId();
    }
}
