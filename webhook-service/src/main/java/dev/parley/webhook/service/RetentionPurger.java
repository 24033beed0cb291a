package dev.parley.webhook.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.webhook.config.WebhookConfig;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/** Purges event bodies and response excerpts past the retention period; the delivery log itself stays. */
@ApplicationScoped
public class RetentionPurger {

    private static final Logger LOG = Logger.getLogger(RetentionPurger.class);

    @Inject
    Transactions transactions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    WebhookConfig config;

    @Scheduled(every = "${parley.webhook.retention.purge-every:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        purge();
    }

    /** Returns how many event bodies were purged. */
    public int purge() {
        Instant cutoff = Instant.now().minus(config.retention().payloads());
        int total = 0;
        try {
            int purged;
            do {
                purged = transactions.run(connection -> deliveries.purge(connection, cutoff, 5_000));
                total += purged;
            } while (purged == 5_000);
            if (total > 0) {
                LOG.infof("Purged %d webhook payloads older than %s", total, cutoff);
                // Deliveries failed by the purge may have held up a conversation's line.
                transactions.run(deliveries::sweepLines);
            }
        } catch (Exception e) {
            LOG.warnf("Purging webhook payloads failed, will retry: %s", e.toString());
        }
        return total;
    }
}
