package dev.parley.session.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.session.config.SessionConfig;
import dev.parley.session.repository.OutboxRepository;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

/** Re-publishes events whose first publication was interrupted (a crash between commit and Kafka's ack). */
@ApplicationScoped
public class OutboxSweeper {

    private static final Logger LOG = Logger.getLogger(OutboxSweeper.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    OutboxRepository outbox;
    @Inject
    EventPublisher publisher;
    @Inject
    SessionConfig config;

    @Scheduled(every = "${parley.session.outbox.sweep-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            var stale = outbox.lockStale(connection, Instant.now().minus(config.outbox().sweepAfter()), 500);
            if (!stale.isEmpty()) {
                LOG.infof("Re-publishing %d events left in the outbox", stale.size());
                outbox.delete(connection, publisher.send(stale));
            }
            connection.commit();
        } catch (Exception e) {
            LOG.warnf("Outbox sweep failed, will retry: %s", e.getMessage());
        }
    }
}
