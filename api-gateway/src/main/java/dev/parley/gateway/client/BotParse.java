package dev.parley.gateway.client;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.events.Intent;

/** Bodies of dialogue-service's parse call, which the public {@code POST /v1/bots/{id}/parse} passes through. */
public final class BotParse {

    private BotParse() {
    }

    public record Request(String text, Integer version) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entity(
            @Schema(description = "number, email, amount-of-money, date, or one of the bot's own entities") String entity,
            @Schema(description = "Canonical value: plain decimal, lower-cased e-mail, ISO-8601 date, list value") String value,
            @Schema(description = "ISO-4217 currency of an amount of money") String unit,
            @Schema(description = "The text as written") String text,
            @Schema(description = "Start offset in the text (characters)") int start,
            @Schema(description = "End offset, exclusive") int end) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(
            @Schema(description = "classifier; knn or tf-idf while this version's classifier is still training") String engine,
            @Schema(description = "The sentence-embedding model, or tf-idf") String embedding,
            @Schema(description = "Training stage of this bot version: queued, embedding, training, ready, failed") String stage,
            @Schema(description = "Training progress, 0 to 1") double trainingProgress,
            @Schema(description = "Calibration temperature of the classifier") Double temperature,
            @Schema(description = "What the out-of-scope threshold applies to: mahalanobis (distance to the nearest intent) or confidence") String outOfScopeMeasure,
            @Schema(description = "The calibrated out-of-scope threshold: the largest in-scope distance, or the lowest in-scope confidence") Double outOfScopeThreshold) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(
            String botId,
            @Schema(description = "The bot version that analysed the text") int version,
            String text,
            @Schema(description = "The best intent and its calibrated confidence") Intent intent,
            @Schema(description = "The top intents, best first (at most 10)") List<Intent> intents,
            @Schema(description = "True when the text matches none of the bot's intents well enough: a turn would get the fallback") boolean outOfScope,
            @Schema(description = "Higher is further from every intent: the Mahalanobis distance to the nearest one, or one minus the confidence") double outOfScopeScore,
            List<Entity> entities,
            Model model,
            @Schema(description = "Time the analysis took in dialogue-service") double latencyMillis) {
    }
}
