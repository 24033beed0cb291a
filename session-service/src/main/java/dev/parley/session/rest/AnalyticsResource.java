package dev.parley.session.rest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.session.AnalyticsSummary;
import dev.parley.session.service.AnalyticsService;
import dev.parley.session.service.ExportService;
import dev.parley.session.service.ExportService.Format;
import io.smallrye.common.annotation.Blocking;

/** Internal API: analytics exports (streamed) and aggregates over a time range; default the last 30 days. */
@Path("/internal/tenants/{tenantId}/analytics")
@Blocking
public class AnalyticsResource {

    @Inject
    ExportService exports;
    @Inject
    AnalyticsService analytics;

    @GET
    @Path("/messages")
    @Produces({ "application/x-ndjson", "text/csv" })
    public Response messages(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        var range = Range.of(from, to);
        var chosen = Format.of(format);
        StreamingOutput body = out -> exports.writeMessages(tenantId, range.from(), range.to(), chosen, out);
        return Response.ok(body, chosen.mediaType()).build();
    }

    @GET
    @Path("/conversations")
    @Produces({ "application/x-ndjson", "text/csv" })
    public Response conversations(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        var range = Range.of(from, to);
        var chosen = Format.of(format);
        StreamingOutput body = out -> exports.writeConversations(tenantId, range.from(), range.to(), chosen, out);
        return Response.ok(body, chosen.mediaType()).build();
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.APPLICATION_JSON)
    public AnalyticsSummary summary(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to) throws SQLException {
        var range = Range.of(from, to);
        return analytics.summary(tenantId, range.from(), range.to());
    }

    record Range(Instant from, Instant to) {
        static Range of(String fromText, String toText) {
            Instant to = ConversationListResource.instant("to", toText);
            Instant from = ConversationListResource.instant("from", fromText);
            to = to == null ? Instant.now() : to;
            from = from == null ? to.minus(Duration.ofDays(30)) : from;
            if (!from.isBefore(to)) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED, "from must be before to");
            }
            return new Range(from, to);
        }
    }
}
