package dev.parley.session.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.parley.session.ErasureView;
import dev.parley.session.service.ErasureService;
import io.smallrye.common.annotation.Blocking;

/** Internal API: an erasure request by its id alone (started under {@code /users/{userId}/erasures}). */
@Path("/internal/tenants/{tenantId}/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ErasureResource {

    @Inject
    ErasureService erasures;

    @GET
    @Path("/{erasureId}")
    public ErasureView get(@PathParam("tenantId") String tenantId, @PathParam("erasureId") String erasureId)
            throws SQLException {
        return erasures.get(tenantId, null, erasureId);
    }
}
