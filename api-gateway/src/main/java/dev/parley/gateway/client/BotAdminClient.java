package dev.parley.gateway.client;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** dialogue-service's internal bot admin API. Definitions pass through as text, YAML or JSON. */
@RegisterRestClient(configKey = "dialogue")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}/bots")
public interface BotAdminClient {

    String YAML = "application/yaml";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(String botId, int version, String status, int intents, int flows) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Version(int version, String status, Instant createdAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Summary(String botId, String name, String description, String language, Integer publishedVersion,
            int latestVersion, List<Version> versions) {
    }

    @GET
    List<Summary> list(@PathParam("tenantId") String tenantId);

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Saved createJson(@PathParam("tenantId") String tenantId, @QueryParam("publish") boolean publish, String body);

    @POST
    @Consumes(YAML)
    Saved createYaml(@PathParam("tenantId") String tenantId, @QueryParam("publish") boolean publish, String body);

    @PUT
    @Path("/{botId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Saved updateJson(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @QueryParam("publish") boolean publish, String body);

    @PUT
    @Path("/{botId}")
    @Consumes(YAML)
    Saved updateYaml(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @QueryParam("publish") boolean publish, String body);

    @GET
    @Path("/{botId}/versions")
    Summary versions(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId);

    @POST
    @Path("/{botId}/versions/{version}/publish")
    Saved publish(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @PathParam("version") int version);

    @GET
    @Path("/{botId}/export")
    @Produces({ MediaType.APPLICATION_JSON, YAML })
    String export(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            @QueryParam("version") Integer version, @QueryParam("format") String format);
}
