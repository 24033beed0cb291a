package dev.parley.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.UserService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/erasures")
@Tag(name = "Users")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ErasuresResource {

    @Inject
    UserService users;

    @GET
    @Path("/{erasureId}")
    @Operation(summary = "Progress of an erasure request, per service")
    public Map<String, Object> get(@PathParam("erasureId") @Size(max = 64) String erasureId,
            @Context ContainerRequestContext context) {
        return users.erasure(AuthenticationFilter.caller(context), null, erasureId);
    }
}
