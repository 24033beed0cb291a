package dev.parley.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

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
}
