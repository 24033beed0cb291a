package dev.parley.gateway.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** dialogue-service's internal API. */
@RegisterRestClient(configKey = "dialogue")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}")
public interface DialogueClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BotSummary(String botId, String name, int version) {
    }

    @GET
    @Path("/bots/{botId}")
    BotSummary bot(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId);

    @POST
    @Path("/bots/{botId}/parse")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    BotParse.Result parse(@PathParam("tenantId") String tenantId, @PathParam("botId") String botId,
            BotParse.Request request);
}
