package dev.parley.session.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.parley.session.service.RetentionService;
import dev.parley.session.service.RetentionService.Retention;
import io.smallrye.common.annotation.Blocking;

/** Internal API: the tenant's transcript retention. */
@Path("/internal/tenants/{tenantId}/retention")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RetentionResource {

    /** @param days messages older than this are purged; 0 keeps them forever; null returns to the default */
    public record RetentionBody(Integer days) {
    }

    @Inject
    RetentionService retention;

    @GET
    public Retention get(@PathParam("tenantId") String tenantId) throws SQLException {
        return retention.get(tenantId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Retention put(@PathParam("tenantId") String tenantId, RetentionBody body) throws SQLException {
        return retention.set(tenantId, body == null ? null : body.days());
    }
}
