package dev.parley.knowledge.fetch;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.repository.SourceRepository;
import dev.parley.knowledge.repository.Transactions;
import dev.parley.knowledge.service.SourceService;
import io.quarkus.scheduler.Scheduled;

/**
 * Reads pending URL sources (sitemaps, and sources due for a re-fetch) off the request thread. A replica claims a
 * few at a time with a lease, so replicas share the work and a crawl that died with its replica is taken over once
 * the lease runs out.
 */
@ApplicationScoped
public class SitemapCrawler {

    private static final Logger LOG = Logger.getLogger(SitemapCrawler.class);
    private static final int BATCH = 4;

    @Inject
    Transactions transactions;
    @Inject
    SourceRepository sources;
    @Inject
    SourceService service;
    @Inject
    KnowledgeConfig config;

    @Scheduled(every = "${parley.knowledge.fetch.crawl-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void crawl() {
        try {
            Instant now = Instant.now();
            // Long enough for a whole sitemap index: the index and every sitemap of it may each take the full timeout.
            Duration lease = config.fetch().timeout().multipliedBy(config.fetch().maxSitemaps() + 2L)
                    .multipliedBy(BATCH).plusMinutes(1);
            var claimed = transactions.run(c -> sources.claimPending(c, now, now.plus(lease), BATCH));
            for (var source : claimed) {
                service.crawl(source);
            }
        } catch (Exception e) {
            LOG.warnf("URL source crawl failed, will retry: %s", e.getMessage());
        }
    }
}
