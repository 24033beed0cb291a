package dev.parley.dialogue.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.dialogue.service.BotRegistry;
import io.smallrye.common.annotation.Blocking;

/** Internal API for the gateway: does this tenant have this bot, and what is it. */
@Path("/internal/tenants/{tenantId}/bots/{botId}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BotResource {

    public record BotSummary(String botId, String name, String description, String language, int version,
            int intents) {
    }

    @Inject
    BotRegistry registry;

    @GET
    public BotSummary get(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId)
            throws SQLException {
        var bot = registry.latest(tenantId, botId)
                .orElseThrow(() -> new ProblemException(ProblemCode.BOT_NOT_FOUND, "No bot " + botId));
        var definition = bot.definition();
        return new BotSummary(bot.botId(), definition.name(), definition.description(), definition.language(),
                bot.version(), definition.intents().size());
    }
}
