package dev.parley.session.rest;

import java.sql.SQLException;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.UserView;
import dev.parley.session.service.UserService;
import io.smallrye.common.annotation.Blocking;

/** Internal API: users and their attributes. Dialogue-service reads attributes here for templates. */
@Path("/internal/tenants/{tenantId}/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class UserResource {

    /** The body of PUT and PATCH: only the attributes can be written. */
    public record UserBody(Map<String, Object> attributes) {
    }

    @Inject
    UserService users;
    @Inject
    dev.parley.session.service.ErasureService erasures;
    @Inject
    dev.parley.session.service.ExportService exports;

    /** Erases the user here and asks every other service to (202: the request is in progress). */
    @jakarta.ws.rs.POST
    @Path("/erasures")
    public Response erase(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId)
            throws SQLException {
        return Response.accepted(erasures.start(tenantId, userId)).build();
    }

    @GET
    @Path("/erasures/{erasureId}")
    public dev.parley.session.ErasureView erasure(@PathParam("tenantId") String tenantId,
            @PathParam("userId") String userId, @PathParam("erasureId") String erasureId) throws SQLException {
        return erasures.get(tenantId, userId, erasureId);
    }

    /** Everything held about the user, as one JSON document written while it is read from the database. */
    @GET
    @Path("/export")
    public Response export(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId)
            throws SQLException {
        exports.requireKnown(tenantId, userId);
        jakarta.ws.rs.core.StreamingOutput body = out -> exports.writeUser(tenantId, userId, out);
        return Response.ok(body, MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"user-export.json\"").build();
    }

    @GET
    public UserView get(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId)
            throws SQLException {
        return users.get(tenantId, userId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId, UserBody body)
            throws SQLException {
        var written = users.put(tenantId, userId, required(body).attributes());
        return Response.status(written.created() ? 201 : 200).entity(written.user()).build();
    }

    @PATCH
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    public UserView patch(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId,
            UserBody body) throws SQLException {
        return users.patch(tenantId, userId, required(body).attributes()).user();
    }

    private static UserBody required(UserBody body) {
        if (body == null) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "A body {\"attributes\": {...}} is required");
        }
        return body;
    }
}
