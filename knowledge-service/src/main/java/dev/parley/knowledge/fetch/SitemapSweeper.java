package dev.parley.knowledge.fetch;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.repository.SourceRepository;
import dev.parley.knowledge.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/**
 * Periodic re-fetch (when {@code parley.knowledge.fetch.refresh-every} is set): a URL source last crawled longer ago
 * becomes pending again, the crawler reads it again, and every page it lists gets a new version that replaces the
 * old one once indexed.
 */
@ApplicationScoped
public class SitemapSweeper {

    private static final Logger LOG = Logger.getLogger(SitemapSweeper.class);

    @Inject
    Transactions transactions;
    @Inject
    SourceRepository sources;
    @Inject
    KnowledgeConfig config;

    @Scheduled(every = "${parley.knowledge.fetch.refresh-check-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        var refresh = config.fetch().refreshEvery();
        if (refresh.isEmpty() || refresh.get().isZero() || refresh.get().isNegative()) {
            return;
        }
        try {
            Instant now = Instant.now();
            int due = transactions.run(c -> sources.requeueCrawledBefore(c, now.minus(refresh.get()), now));
            if (due > 0) {
                LOG.infof("%d URL sources are due for a re-fetch", due);
            }
        } catch (Exception e) {
            LOG.warnf("URL source refresh sweep failed, will retry: %s", e.getMessage());
        }
    }
}
