package dev.parley.dialogue.service;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.dialogue.repository.BotRepository;
import dev.parley.dialogue.repository.DialogueRepository;

/**
 * A conversation stays on the bot version it started with, so publishing a new version never changes a
 * conversation under way. This moves one conversation to another published version of its bot on request: its
 * next turn is answered by that version (a running flow the version lacks is dropped at that turn).
 */
@ApplicationScoped
public class BotVersionMove {

    private static final Logger LOG = Logger.getLogger(BotVersionMove.class);

    /** The conversation's bot and version after the move, and the version it was on. */
    public record Moved(String conversationId, String botId, int botVersion, int previousVersion) {
    }

    @Inject
    DialogueRepository repository;
    @Inject
    BotRepository bots;

    public Moved move(String tenantId, UUID conversationId, int version) throws SQLException {
        try (var connection = repository.connection()) {
            connection.setAutoCommit(false);
            try {
                var state = repository.state(connection, conversationId, true);
                if (state.isEmpty() || !state.get().tenantId().equals(tenantId)) {
                    throw new ProblemException(ProblemCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId
                            + " has talked to a bot of this tenant");
                }
                var current = state.get();
                var target = bots.versions(tenantId, current.botId()).stream().filter(v -> v.version() == version)
                        .findFirst()
                        .orElseThrow(() -> new ProblemException(ProblemCode.BOT_VERSION_NOT_FOUND,
                                "Bot " + current.botId() + " has no version " + version));
                if (!"published".equals(target.status())) {
                    throw new ProblemException(ProblemCode.BOT_VERSION_NOT_PUBLISHED, "Version " + version
                            + " of bot " + current.botId() + " is a " + target.status() + "; publish it first");
                }
                if (current.botVersion() != version) {
                    repository.moveToVersion(connection, conversationId, version,
                            Instant.now().truncatedTo(ChronoUnit.MICROS));
                    LOG.infof("Tenant %s: conversation %s moved from version %d to %d of bot %s", tenantId,
                            conversationId, current.botVersion(), version, current.botId());
                }
                connection.commit();
                return new Moved(conversationId.toString(), current.botId(), version, current.botVersion());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
