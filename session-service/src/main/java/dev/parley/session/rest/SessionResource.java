package dev.parley.session.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.parley.session.SessionView;
import dev.parley.session.service.SessionService;
import io.smallrye.common.annotation.Blocking;

/** Internal API, called by the gateway only (the gateway has already authenticated the tenant). */
@Path("/internal/tenants/{tenantId}/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SessionResource {

    public record OpenSession(@NotBlank @Size(max = 128) String userId, @NotBlank @Size(max = 128) String botId,
            @Size(max = 64) String conversationId) {
    }

    @Inject
    SessionService sessions;

    @POST
    public Response open(@PathParam("tenantId") String tenantId, @NotNull @Valid OpenSession request)
            throws SQLException {
        SessionView session = sessions.open(tenantId, request.userId(), request.botId(), request.conversationId());
        return Response.status(Response.Status.CREATED).entity(session).build();
    }

    @GET
    @Path("/{sessionId}")
    public SessionView get(@PathParam("tenantId") String tenantId, @PathParam("sessionId") String sessionId)
            throws SQLException {
        return sessions.get(tenantId, sessionId);
    }
}
