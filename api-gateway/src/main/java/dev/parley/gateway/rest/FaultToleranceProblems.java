package dev.parley.gateway.rest;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;

/** A backing service that is down, slow or behind an open circuit is a 503 with Retry-After, not a 500. */
public final class FaultToleranceProblems {

    private static final Logger LOG = Logger.getLogger(FaultToleranceProblems.class);

    private FaultToleranceProblems() {
    }

    static Response unavailable(Exception e, UriInfo uri, ContainerRequestContext request) {
        var problem = Problem.of(ProblemCode.UNAVAILABLE, "A backing service is unavailable; retry shortly",
                uri.getPath(), RequestIds.of(request));
        LOG.warnf("Backing service unavailable on %s (request %s): %s", uri.getPath(), problem.requestId(), e.toString());
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "2").entity(problem).build();
    }

    @Provider
    public static class FaultToleranceMapper implements ExceptionMapper<FaultToleranceException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(FaultToleranceException e) {
            return unavailable(e, uri, request);
        }
    }

    @Provider
    public static class ProcessingMapper implements ExceptionMapper<ProcessingException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(ProcessingException e) {
            return unavailable(e, uri, request);
        }
    }
}
