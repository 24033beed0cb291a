package dev.parley.session.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.ConversationList;
import dev.parley.session.service.LifecycleService;
import io.smallrye.common.annotation.Blocking;

/** Internal API: conversations of a tenant, filtered and paged. */
@Path("/internal/tenants/{tenantId}/conversations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConversationListResource {

    @Inject
    LifecycleService lifecycle;

    @GET
    public ConversationList list(@PathParam("tenantId") String tenantId, @QueryParam("userId") String userId,
            @QueryParam("status") String status, @QueryParam("botId") String botId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) throws SQLException {
        return lifecycle.list(tenantId, userId, status, botId, instant("from", from), instant("to", to), cursor,
                limit);
    }

    /** ISO-8601 instant ({@code 2026-05-01T00:00:00Z}) or date ({@code 2026-05-01}, midnight UTC). */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC)
                    .toInstant() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                    name + ": not an ISO-8601 time or date (e.g. 2026-05-01T00:00:00Z or 2026-05-01)");
        }
    }
}
