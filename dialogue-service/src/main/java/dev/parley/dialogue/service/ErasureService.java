package dev.parley.dialogue.service;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.events.ErasureConfirmed;
import dev.parley.common.events.UserErased;
import dev.parley.dialogue.messaging.ErasureConfirmationPublisher;
import dev.parley.dialogue.repository.DialogueRepository;
import dev.parley.dialogue.repository.ErasureRepository;

/**
 * The dialogue-service half of an erasure (docs/erasure.md). In one transaction holding the user's exclusive lock:
 * the user's tombstone is recorded, the dialogue state and processed messages (stored replies, slots, events) of
 * every conversation of the user are deleted and the conversations tombstoned, and the NLU embeddings of the user's
 * messages leave the cache. Once committed, {@code erasure.confirmed} is published for {@value #SERVICE}.
 */
@ApplicationScoped
public class ErasureService {

    public static final String SERVICE = "dialogue-service";
    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    @Inject
    DialogueRepository repository;
    @Inject
    ErasureRepository erasures;
    @Inject
    NluService nlu;
    @Inject
    ErasureConfirmationPublisher confirmations;

    /** Erases the user and confirms; running it again for the same command erases nothing more and confirms again. */
    public ErasureConfirmed erase(UserErased command) throws SQLException {
        ErasureRepository.Erased erased;
        int cached = 0;
        try (var connection = repository.connection()) {
            connection.setAutoCommit(false);
            try {
                erased = erasures.erase(connection, command.tenantId(), command.userId(), command.erasureId(),
                        command.requestedAt());
                // Under the user's exclusive lock: no turn of the user is embedding a text meanwhile.
                cached += nlu.forget(ErasureRepository.owner(command.tenantId(), command.userId(), null));
                for (var conversation : erased.conversations()) {
                    cached += nlu.forget(ErasureRepository.owner(command.tenantId(), null, conversation.toString()));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        var confirmed = new ErasureConfirmed(command.erasureId(), command.tenantId(), command.userId(), SERVICE,
                erased.rows() + cached, Instant.now().truncatedTo(ChronoUnit.MICROS));
        confirmations.publish(confirmed);
        LOG.infof("Erasure %s: %d conversation(s), %d dialogue state(s), %d processed message(s), %d cached "
                + "embedding(s) erased; confirmed", command.erasureId(), erased.conversations().size(), erased.states(),
                erased.processedMessages(), cached);
        return confirmed;
    }
}
