package dev.parley.dialogue.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.inject.Inject;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.parley.dialogue.service.BotAdmin;
import io.smallrye.common.annotation.Blocking;

/** Internal bot admin API for the gateway: import, validate, version, publish and export bot definitions. */
@Path("/internal/tenants/{tenantId}/bots")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BotAdminResource {

    public static final String YAML = "application/yaml";

    @Inject
    BotAdmin admin;

    @GET
    public List<BotAdmin.Summary> list(@PathParam("tenantId") String tenantId) throws SQLException {
        return admin.list(tenantId);
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, YAML, "text/yaml", "application/x-yaml" })
    public Response create(@PathParam("tenantId") String tenantId, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @QueryParam("publish") @DefaultValue("false") boolean publish, String body) throws SQLException {
        return Response.status(201).entity(admin.save(tenantId, null, body, isYaml(type), publish)).build();
    }

    @PUT
    @Path("/{botId}")
    @Consumes({ MediaType.APPLICATION_JSON, YAML, "text/yaml", "application/x-yaml" })
    public Response update(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @QueryParam("publish") @DefaultValue("false") boolean publish, String body) throws SQLException {
        return Response.status(201).entity(admin.save(tenantId, botId, body, isYaml(type), publish)).build();
    }

    @GET
    @Path("/{botId}/versions")
    public BotAdmin.Summary versions(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId)
            throws SQLException {
        return admin.summary(tenantId, botId);
    }

    @POST
    @Path("/{botId}/versions/{version}/publish")
    public BotAdmin.Saved publish(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @PathParam("version") int version) throws SQLException {
        return admin.publish(tenantId, botId, version);
    }

    @GET
    @Path("/{botId}/export")
    @Produces({ MediaType.APPLICATION_JSON, YAML })
    public Response export(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @QueryParam("version") Integer version, @QueryParam("format") @DefaultValue("yaml") String format)
            throws SQLException {
        boolean yaml = !"json".equalsIgnoreCase(format);
        return Response.ok(admin.export(tenantId, botId, version, yaml))
                .type(yaml ? YAML : MediaType.APPLICATION_JSON).build();
    }

    private static boolean isYaml(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("yaml");
    }
}
