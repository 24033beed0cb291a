package dev.parley.webhook.service;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.UserErased;
import dev.parley.webhook.repository.ErasureRepository;
import dev.parley.webhook.repository.Transactions;

/**
 * The webhook-service half of an erasure (docs/erasure.md): in one transaction holding the tenant's erasure lock,
 * the user and their conversations are tombstoned, the stored payloads of the events about them are erased, their
 * pending deliveries fail (nothing of them is sent later, and a replay is refused with {@code delivery_erased}), and
 * the receivers' answers to their attempts are blanked. The caller publishes the confirmation once this returns.
 */
@ApplicationScoped
public class ErasureService {

    public static final String SERVICE = "webhook-service";
    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    @Inject
    Transactions transactions;
    @Inject
    ErasureRepository erasures;

    /** Erases the user; running it again for the same command erases nothing more. Returns the confirmation. */
    public ErasureConfirmed erase(UserErased command) throws SQLException {
        var erased = transactions.run(connection -> erasures.erase(connection, command.tenantId(), command.userId(),
                command.erasureId(), command.requestedAt()));
        LOG.infof("Erasure %s: %d event payload(s) erased (%d conversation(s)), %d pending deliver(ies) failed, "
                + "%d attempt answer(s) blanked", command.erasureId(), erased.events(), erased.conversations(),
                erased.deliveriesFailed(), erased.excerptsBlanked());
        return new ErasureConfirmed(command.erasureId(), command.tenantId(), command.userId(), SERVICE, erased.items(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }
}
