package dev.parley.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.UserService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/users/{userId}")
@Tag(name = "Users")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class UsersResource {

    public record UserBody(
            @Schema(description = "Custom attributes: JSON values (string, number, boolean, array, object) under names of letters, digits and _ . : -; at most 100 names of 64 characters, 2 KB and 3 levels of nesting per value. In a PATCH, null removes an attribute.") Map<String, Object> attributes) {
    }

    @Inject
    UserService users;

    @GET
    @Operation(summary = "A user and their custom attributes")
    public Map<String, Object> get(@PathParam("userId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String userId,
            @Context ContainerRequestContext context) {
        return users.get(AuthenticationFilter.caller(context), userId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user or replace all their attributes")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    public Response put(@PathParam("userId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String userId,
            UserBody body, @Context ContainerRequestContext context) {
        var written = users.put(AuthenticationFilter.caller(context), userId, body == null ? null : body.attributes());
        return Response.status(written.created() ? 201 : 200).entity(written.user()).build();
    }

    @PATCH
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @Operation(summary = "Change some attributes (JSON merge patch, RFC 7396: null removes)")
    public Map<String, Object> patch(@PathParam("userId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String userId,
            UserBody body, @Context ContainerRequestContext context) {
        return users.patch(AuthenticationFilter.caller(context), userId, body == null ? null : body.attributes());
    }

    @DELETE
    @Operation(summary = "Erase the user's data in every service", description = "Answers 202 with the erasure request; follow it at /v1/users/{userId}/erasures/{erasureId} until its status is 'completed'.")
    @APIResponse(responseCode = "202", description = "Erasure started")
    public Response erase(@PathParam("userId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String userId,
            @Context ContainerRequestContext context) {
        var erasure = users.erase(AuthenticationFilter.caller(context), userId);
        return Response.accepted(erasure)
                .header("Location", "/v1/users/" + userId + "/erasures/" + erasure.get("erasureId")).build();
    }

    @GET
    @Path("/erasures/{erasureId}")
    @Operation(summary = "Progress of an erasure request, per service")
    public Map<String, Object> erasure(@PathParam("userId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String userId,
            @PathParam("erasureId") @Size(max = 64) String erasureId, @Context ContainerRequestContext context) {
        return users.erasure(AuthenticationFilter.caller(context), userId, erasureId);
    }

    @GET
    @Path("/export")
    @Operation(summary = "Everything held about the user, as one JSON document (data access request)", description = "Profile and attributes, sessions, conversations with every message. Streamed.")
    public Response export(@PathParam("userId") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN) String userId,
            @Context ContainerRequestContext context) {
        return Streams.passThrough(users.export(AuthenticationFilter.caller(context), userId));
    }
}
