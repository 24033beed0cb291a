package dev.parley.dialogue.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.events.Intent;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.dialogue.nlu.Entity;
import dev.parley.dialogue.service.BotRegistry;
import dev.parley.dialogue.service.CompiledBot;
import dev.parley.dialogue.service.NluService;
import io.smallrye.common.annotation.Blocking;

/** Internal API for the gateway: what the bot's NLU makes of a text, without starting a turn. */
@Path("/internal/tenants/{tenantId}/bots/{botId}/parse")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class ParseResource {

    /** The longest text accepted, in characters: a chat message, not a document. */
    public static final int MAX_TEXT = 2000;

    /** {@code version}: a published version of the bot; the latest when absent. */
    public record ParseRequest(String text, Integer version) {
    }

    /**
     * The engine that answered ({@code classifier}, or {@code knn} / {@code tf-idf} while the version's classifier
     * trains), the embedding model, the training stage and progress, and the calibrated temperature and
     * out-of-scope threshold of the trained classifier, with what that threshold measures ({@code mahalanobis}
     * distance to the nearest intent, or {@code confidence}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelInfo(String engine, String embedding, String stage, double trainingProgress,
            Double temperature, String outOfScopeMeasure, Double outOfScopeThreshold) {
    }

    public record ParseResult(String botId, int version, String text, Intent intent, List<Intent> intents,
            boolean outOfScope, double outOfScopeScore, List<Entity> entities, ModelInfo model,
            double latencyMillis) {
    }

    @Inject
    BotRegistry registry;
    @Inject
    NluService nlu;

    @POST
    public ParseResult parse(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            ParseRequest request) throws SQLException {
        if (request == null || request.text() == null || request.text().isBlank()) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "text: required, not blank");
        }
        if (request.text().length() > MAX_TEXT) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                    "text: at most " + MAX_TEXT + " characters (got " + request.text().length() + ")");
        }
        if (request.version() != null && request.version() < 1) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "version: must be 1 or more");
        }
        CompiledBot bot = (request.version() == null ? registry.latest(tenantId, botId)
                : registry.version(tenantId, botId, request.version()))
                .orElseThrow(() -> new ProblemException(ProblemCode.BOT_NOT_FOUND, request.version() == null
                        ? "No bot " + botId : "No version " + request.version() + " of bot " + botId));
        var result = nlu.parse(bot, request.text());
        var status = nlu.of(bot).status();
        var intents = result.intents().stream().map(s -> new Intent(s.intent(), round(s.confidence()))).toList();
        return new ParseResult(bot.botId(), bot.version(), request.text(), intents.isEmpty() ? null : intents.get(0),
                intents, result.outOfScope(), round(result.outOfScopeScore()), result.entities(),
                new ModelInfo(result.engine(), result.model(), status.stage().name().toLowerCase(java.util.Locale.ROOT),
                        round(status.progress()), status.temperature() == null ? null : round(status.temperature()),
                        status.outOfScopeMeasure(), status.threshold() == null ? null : round(status.threshold())),
                Math.round(result.latencyMillis() * 1000) / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
