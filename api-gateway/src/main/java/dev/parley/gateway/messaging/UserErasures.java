package dev.parley.gateway.messaging;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.events.UserErased;
import dev.parley.gateway.client.Backends;

/**
 * Every gateway replica reads the {@code user.erased} commands (a consumer group of its own) and forgets the erased
 * user's cached sessions, so no replica accepts a message into a session that the erasure removed.
 */
@ApplicationScoped
public class UserErasures {

    private static final Logger LOG = Logger.getLogger(UserErasures.class);

    @Inject
    Backends backends;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.USER_ERASURES)
    public void onErasure(String payload) {
        try {
            var erased = json.readValue(payload, UserErased.class);
            backends.forgetUser(erased.tenantId(), erased.userId());
        } catch (IOException | RuntimeException unreadable) {
            LOG.warnf("Ignoring an unreadable user.erased command: %s", unreadable.toString());
        }
    }
}
