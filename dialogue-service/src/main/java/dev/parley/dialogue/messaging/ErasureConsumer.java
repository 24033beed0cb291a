package dev.parley.dialogue.messaging;

import java.io.IOException;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.Topics;
import dev.parley.common.db.DatabaseOutages;
import dev.parley.common.events.UserErased;
import dev.parley.dialogue.service.ErasureService;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads {@code user.erased} commands and erases the user here; the command is acknowledged only after the erasure
 * is committed and confirmed, so a crash repeats it (which erases nothing more and confirms again). An unreadable
 * command goes to the dead-letter topic; an outage of the database is waited out.
 */
@ApplicationScoped
public class ErasureConsumer {

    @Inject
    ErasureService erasures;
    @Inject
    ObjectMapper json;

    @Incoming(Topics.USER_ERASURES)
    @Blocking
    public void onCommand(String value) {
        UserErased command = parse(value);
        try {
            DatabaseOutages.waitOut(() -> {
                erasures.erase(command);
                return null;
            });
        } catch (SQLException refused) {
            throw new IllegalArgumentException("The database refused erasure " + command.erasureId() + ": "
                    + refused.getMessage(), refused);
        }
    }

    UserErased parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("empty record");
        }
        try {
            var command = json.readValue(value, UserErased.class);
            if (command.erasureId() == null || command.tenantId() == null || command.userId() == null
                    || command.requestedAt() == null) {
                throw new IllegalArgumentException("erasureId, tenantId, userId and requestedAt are required");
            }
            return command;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a UserErased: " + e.getMessage(), e);
        }
    }
}
