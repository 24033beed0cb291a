package dev.parley.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.UserService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/analytics")
@Tag(name = "Analytics")
@Blocking
public class AnalyticsResource {

    @Inject
    UserService users;

    @GET
    @Path("/{dataset: messages|conversations}")
    @Produces({ "application/x-ndjson", "text/csv", MediaType.APPLICATION_JSON })
    @Operation(summary = "Stream every message (with its detected intent) or conversation in [from, to)", description = "format=ndjson (default) or csv. Rows are streamed as the database produces them: tens of millions of rows are fine. Default range: the last 30 days.")
    public Response export(@PathParam("dataset") String dataset, @QueryParam("from") @Size(max = 40) String from,
            @QueryParam("to") @Size(max = 40) String to, @QueryParam("format") @Size(max = 10) String format,
            @Context ContainerRequestContext context) {
        return Streams.passThrough(users.analytics(AuthenticationFilter.caller(context), dataset, from, to, format));
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Turns per day, top intents, fallback rate, handoff rate, average turns per conversation")
    public Map<String, Object> summary(@QueryParam("from") @Size(max = 40) String from,
            @QueryParam("to") @Size(max = 40) String to, @Context ContainerRequestContext context) {
        return users.summary(AuthenticationFilter.caller(context), from, to);
    }
}
