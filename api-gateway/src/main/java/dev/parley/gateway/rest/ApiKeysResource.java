package dev.parley.gateway.rest;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.ApiKeyService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/api-keys")
@Tag(name = "API keys", description = "Needs the admin scope. The secret of a key is returned once, when it is created or rotated.")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ApiKeysResource {

    @Inject
    ApiKeyService keys;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "The response holds the secret key: it is shown only once.")
    public Response create(@NotNull @Valid KeyApi.CreateKey request, @Context ContainerRequestContext context) {
        var created = keys.create(AuthenticationFilter.caller(context), request);
        return Response.created(URI.create("/v1/api-keys/" + created.apiKey().id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List the tenant's API keys (never their secrets), newest first")
    public KeyApi.KeyList list(@Context ContainerRequestContext context) {
        return keys.list(AuthenticationFilter.caller(context));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One API key (never its secret)")
    public KeyApi.KeyView get(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        return keys.get(AuthenticationFilter.caller(context), id);
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate an API key", description = "Issues a new key with the same name and scopes. The old key keeps working for the grace period, then expires.")
    public Response rotate(@PathParam("id") @Size(max = 64) String id, @Valid KeyApi.RotateKey request,
            @Context ContainerRequestContext context) {
        var created = keys.rotate(AuthenticationFilter.caller(context), id, request);
        return Response.created(URI.create("/v1/api-keys/" + created.apiKey().id())).entity(created).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key at once, on every gateway replica")
    public KeyApi.KeyView revoke(@PathParam("id") @Size(max = 64) String id, @Context ContainerRequestContext context) {
        return keys.revoke(AuthenticationFilter.caller(context), id);
    }
}
