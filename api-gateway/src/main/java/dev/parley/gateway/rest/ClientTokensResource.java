package dev.parley.gateway.rest;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.ClientTokenService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/client-tokens")
@Tag(name = "Client tokens", description = "Browsers and mobile apps never hold an API key: your back end exchanges its key for a short-lived token bound to one conversation.")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ClientTokensResource {

    @Inject
    ClientTokenService tokens;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a client token for one conversation (API key with conversations:write)", description = "The token may open sessions on, send messages to and read that conversation only, and is refused everywhere else.")
    public Response issue(@NotNull @Valid KeyApi.CreateClientToken request, @Context ContainerRequestContext context) {
        return Response.status(201).entity(tokens.issue(AuthenticationFilter.caller(context), request)).build();
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Exchange a valid client token for a fresh one (sent as the bearer token)")
    public Response refresh(@Context ContainerRequestContext context) {
        String header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
        return Response.status(201)
                .entity(tokens.refresh(AuthenticationFilter.caller(context), header.substring(7).trim())).build();
    }
}
