package dev.parley.gateway.rest;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.client.BotParse;
import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.BotParseService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/bots/{botId}/parse")
@Tag(name = "Bots")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BotParseResource {

    public record ParseText(
            @Schema(description = "The text to analyse", examples = "I paid £20 with my card yesterday and it was declined") @NotBlank @Size(max = 2000) String text,
            @Schema(description = "A published version of the bot; the latest when omitted") @Min(1) Integer version) {
    }

    @Inject
    BotParseService parser;

    @POST
    @Operation(summary = "Analyse a text with the bot's NLU, without starting a turn", description = "Intent ranking with calibrated confidences, the out-of-scope flag, entities, the engine and model that answered, and the time taken. Needs the scope bots:manage.")
    @APIResponse(responseCode = "200", description = "The analysis")
    @APIResponse(responseCode = "403", description = "The credential lacks bots:manage (problem+json)")
    @APIResponse(responseCode = "404", description = "Unknown bot or version (problem+json)")
    public BotParse.Result parse(
            @PathParam("botId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String botId,
            @NotNull @Valid ParseText request, @Context ContainerRequestContext context) {
        return parser.parse(AuthenticationFilter.caller(context), botId, request);
    }
}
