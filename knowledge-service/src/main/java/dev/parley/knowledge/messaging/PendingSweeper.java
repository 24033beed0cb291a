package dev.parley.knowledge.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.repository.DocumentRepository;
import dev.parley.knowledge.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/**
 * A pending document is its own outbox entry: if its command was lost (a crash between commit and Kafka's ack) or
 * is taking unusually long, its ingestion is requested again. Consumers ignore commands for versions already done.
 */
@ApplicationScoped
public class PendingSweeper {

    private static final Logger LOG = Logger.getLogger(PendingSweeper.class);

    @Inject
    Transactions transactions;
    @Inject
    DocumentRepository documents;
    @Inject
    CommandPublisher publisher;
    @Inject
    KnowledgeConfig config;

    @Scheduled(every = "${parley.knowledge.ingest.sweep-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            transactions.run(connection -> {
                var stale = documents.lockStalePending(connection,
                        Instant.now().minus(config.ingest().retryAfter()), 200);
                if (!stale.isEmpty()) {
                    LOG.infof("Requesting ingestion again for %d pending documents", stale.size());
                    documents.markRequested(connection, publisher.requestIngestion(stale), Instant.now());
                }
                return null;
            });
        } catch (Exception e) {
            LOG.warnf("Pending-document sweep failed, will retry: %s", e.getMessage());
        }
    }
}
