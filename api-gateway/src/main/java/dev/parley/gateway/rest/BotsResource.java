package dev.parley.gateway.rest;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.client.BotAdminClient;
import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.BotAdminService;
import io.smallrye.common.annotation.Blocking;

/**
 * Bot administration: import a definition as YAML or JSON (a draft, or published at once), list bots and their
 * versions, publish a draft, export a version. Every import is validated first; the problem lists each error
 * with the path to it.
 */
@Path("/v1/bots")
@Tag(name = "Bots")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BotsResource {

    private static final String BOT_ID = "[a-z0-9][a-z0-9_-]{0,63}";

    @Inject
    BotAdminService bots;

    @GET
    @Operation(summary = "List the tenant's bots", description = "Each with its published and latest version.")
    public List<BotAdminClient.Summary> list(@Context ContainerRequestContext context) {
        return bots.list(AuthenticationFilter.caller(context));
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, BotAdminClient.YAML, "text/yaml", "application/x-yaml" })
    @Operation(summary = "Import a bot definition", description = "A new bot, or a new version of the bot named by the definition's id. A draft unless publish=true.")
    public Response create(@HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @QueryParam("publish") @DefaultValue("false") boolean publish, String body,
            @Context ContainerRequestContext context) {
        var saved = bots.save(AuthenticationFilter.caller(context), null, body, isYaml(type), publish);
        return Response.created(URI.create("/v1/bots/" + saved.botId())).entity(saved).build();
    }

    @PUT
    @Path("/{botId}")
    @Consumes({ MediaType.APPLICATION_JSON, BotAdminClient.YAML, "text/yaml", "application/x-yaml" })
    @Operation(summary = "Store a new version of a bot", description = "A draft unless publish=true. Published versions never change; conversations stay on the version they started with.")
    public Response update(@PathParam("botId") @Pattern(regexp = BOT_ID) String botId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @QueryParam("publish") @DefaultValue("false") boolean publish, String body,
            @Context ContainerRequestContext context) {
        var saved = bots.save(AuthenticationFilter.caller(context), botId, body, isYaml(type), publish);
        return Response.status(201).entity(saved).build();
    }

    @GET
    @Path("/{botId}")
    @Operation(summary = "A bot and its versions")
    public BotAdminClient.Summary get(@PathParam("botId") @Pattern(regexp = BOT_ID) String botId,
            @Context ContainerRequestContext context) {
        return bots.versions(AuthenticationFilter.caller(context), botId);
    }

    @POST
    @Path("/{botId}/versions/{version}/publish")
    @Operation(summary = "Publish a draft version", description = "New conversations start on it; running ones keep theirs.")
    public BotAdminClient.Saved publish(@PathParam("botId") @Pattern(regexp = BOT_ID) String botId,
            @PathParam("version") int version, @Context ContainerRequestContext context) {
        return bots.publish(AuthenticationFilter.caller(context), botId, version);
    }

    @GET
    @Path("/{botId}/export")
    @Produces({ BotAdminClient.YAML, MediaType.APPLICATION_JSON })
    @Operation(summary = "Export a version as YAML or JSON", description = "The latest version unless version is given; format yaml (default) or json.")
    public Response export(@PathParam("botId") @Pattern(regexp = BOT_ID) String botId,
            @QueryParam("version") Integer version,
            @QueryParam("format") @DefaultValue("yaml") @Pattern(regexp = "yaml|json") String format,
            @Context ContainerRequestContext context) {
        String text = bots.export(AuthenticationFilter.caller(context), botId, version, format);
        return Response.ok(text).type("json".equals(format) ? MediaType.APPLICATION_JSON : BotAdminClient.YAML)
                .build();
    }

    private static boolean isYaml(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml");
    }
}
