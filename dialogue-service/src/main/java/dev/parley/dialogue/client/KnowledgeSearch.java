package dev.parley.dialogue.client;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.parley.dialogue.config.KnowledgeConfig;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * The knowledge search as a turn uses it: time-boxed ({@code parley.dialogue.knowledge.timeout}, 2 s) and behind a
 * circuit breaker, so a knowledge-service that is down or slow costs a turn at most the timeout, and then nothing
 * while the circuit is open. A failed search is no result: the turn goes on with the next step of its fallback.
 */
@ApplicationScoped
public class KnowledgeSearch {

    private static final Logger LOG = Logger.getLogger(KnowledgeSearch.class);

    private final KnowledgeClient client;
    private final KnowledgeConfig config;
    private final TypedGuard<KnowledgeClient.SearchResponse> guard;

    @Inject
    public KnowledgeSearch(@RestClient KnowledgeClient client, KnowledgeConfig config) {
        this.client = client;
        this.config = config;
        this.guard = TypedGuard.create(KnowledgeClient.SearchResponse.class)
                .withDescription("knowledge search")
                .withTimeout().duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker().requestVolumeThreshold(4).failureRatio(0.5).delay(10, ChronoUnit.SECONDS)
                .successThreshold(1)
                .onStateChange(state -> LOG.infof("Circuit of the knowledge search is now %s", state))
                .done().build();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * The tenant's passages for {@code query}, best first: the bot's documents and the tenant-wide ones, carrying
     * every one of {@code tags}. Empty when the search failed, timed out or its circuit is open.
     */
    public Optional<List<KnowledgeClient.SearchResult>> search(String tenantId, String botId, String query,
            List<String> tags, int limit) {
        if (!config.enabled() || query == null || query.isBlank()) {
            return Optional.empty();
        }
        String text = query.length() > 1000 ? query.substring(0, 1000) : query;
        var input = new KnowledgeClient.SearchInput(text, botId, tags == null || tags.isEmpty() ? null : tags,
                Math.max(1, Math.min(50, limit)), "hybrid");
        try {
            return Optional.of(guard.call(() -> client.search(tenantId, input)).results());
        } catch (CircuitBreakerOpenException e) {
            LOG.debugf("Tenant %s: knowledge search skipped, its circuit is open", tenantId);
        } catch (TimeoutException e) {
            Thread.interrupted(); // the guard interrupted this thread to stop the call; the turn goes on
            LOG.warnf("Tenant %s: knowledge search gave no answer within %s", tenantId, config.timeout());
        } catch (Exception e) {
            LOG.warnf("Tenant %s: knowledge search failed: %s", tenantId, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + firstLine(e.getMessage())));
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
