package dev.parley.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.UserService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/retention")
@Tag(name = "Settings")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RetentionResource {

    public record RetentionBody(
            @Schema(description = "Messages older than this many days are purged; 0 keeps them forever; null returns to the platform default") Integer days) {
    }

    @Inject
    UserService users;

    @GET
    @Operation(summary = "The tenant's transcript retention")
    public Map<String, Object> get(@Context ContainerRequestContext context) {
        return users.retention(AuthenticationFilter.caller(context));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the tenant's transcript retention (admin)")
    public Map<String, Object> put(RetentionBody body, @Context ContainerRequestContext context) {
        return users.setRetention(AuthenticationFilter.caller(context), body == null ? null : body.days());
    }
}
