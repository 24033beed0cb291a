package dev.parley.gateway.client;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.parley.common.problem.ProblemException;

/**
 * The gateway's calls to knowledge-service, like {@link Backends}: time limits, circuit breakers, and retries only
 * where repeating the call is harmless (reads, searches, deletes); a caller's mistake (4xx) is never retried.
 */
@ApplicationScoped
public class KnowledgeBackend {

    @Inject
    @RestClient
    KnowledgeClient knowledge;

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.DocumentView create(String tenantId, KnowledgeBodies.DocumentInput input) {
        return knowledge.create(tenantId, input);
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.DocumentView upload(String tenantId, String documentId, byte[] content, String contentType,
            String filename, String title, String source, List<String> tags, String botId) {
        return documentId == null
                ? knowledge.upload(tenantId, contentType, filename, title, source, tags, botId, content)
                : knowledge.updateFile(tenantId, documentId, contentType, filename, title, source, tags, botId, content);
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.DocumentView update(String tenantId, String documentId, KnowledgeBodies.DocumentInput input) {
        return knowledge.update(tenantId, documentId, input);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.DocumentView get(String tenantId, String documentId) {
        return knowledge.get(tenantId, documentId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.DocumentPage list(String tenantId, String botId, String tag, String status, String cursor,
            int limit) {
        return knowledge.list(tenantId, botId, tag, status, cursor, limit);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public void delete(String tenantId, String documentId) {
        knowledge.delete(tenantId, documentId);
    }

    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.ImportAccepted importDocuments(String tenantId, String ndjson) {
        return knowledge.importDocuments(tenantId, ndjson);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.ImportProgress importProgress(String tenantId, String importId) {
        return knowledge.importProgress(tenantId, importId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.SearchResponse search(String tenantId, KnowledgeBodies.SearchInput input) {
        return knowledge.search(tenantId, input);
    }

    /** Not retried: a repeated call would fetch the URL again (a new version of its documents). */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.SourceView createSource(String tenantId, KnowledgeBodies.SourceInput input) {
        return knowledge.createSource(tenantId, input);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public KnowledgeBodies.SourceView source(String tenantId, String sourceId) {
        return knowledge.source(tenantId, sourceId);
    }
}
