package dev.parley.gateway.client;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;

/**
 * A 4xx problem from an internal service becomes the same problem for the public caller (not found stays not
 * found); anything else from downstream is our failure, not the caller's, and surfaces as 503.
 */
public class DownstreamProblems implements ResponseExceptionMapper<ProblemException> {

    @Override
    public ProblemException toThrowable(Response response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500) {
            try {
                Problem problem = response.readEntity(Problem.class);
                return new ProblemException(ProblemCode.valueOf(problem.code().toUpperCase(java.util.Locale.ROOT)),
                        problem.detail(), problem.errors());
            } catch (RuntimeException unreadable) {
                return new ProblemException(ProblemCode.NOT_FOUND, "Not found");
            }
        }
        return new ProblemException(ProblemCode.UNAVAILABLE, "A backing service is unavailable; retry shortly");
    }

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }
}
