package dev.parley.webhook.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.webhook.delivery.Dispatcher;
import dev.parley.webhook.repository.DeliveryRepository;
import dev.parley.webhook.repository.Transactions;
import io.quarkus.scheduler.Scheduled;

/**
 * The safety net of ordering by conversation: makes every delivery due that waits in its conversation's line although
 * nothing ahead of it is pending any more. The usual hand-over happens when the delivery ahead ends; this catches
 * the other ways a line can move (the retention purge, a replay, an endpoint that stopped ordering).
 */
@ApplicationScoped
public class LineSweeper {

    private static final Logger LOG = Logger.getLogger(LineSweeper.class);

    @Inject
    Transactions transactions;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    Dispatcher dispatcher;

    @Scheduled(every = "${parley.webhook.delivery.line-sweep-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /** Returns how many deliveries were let go. */
    public int sweep() {
        try {
            int released = transactions.run(deliveries::sweepLines);
            if (released > 0) {
                LOG.debugf("Line sweep let %d waiting deliveries go", released);
                dispatcher.wake();
            }
            return released;
        } catch (Exception e) {
            LOG.warnf("Sweeping conversation lines failed, will retry: %s", e.toString());
            return 0;
        }
    }
}
