package dev.parley.gateway.ratelimit;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;
import dev.parley.gateway.security.AuthenticationFilter;

/**
 * Rate limits every authenticated /v1 request, whatever the endpoint, and puts the IETF {@code RateLimit-Policy}
 * and {@code RateLimit} headers on its response. Over a limit: 429 problem+json with {@code Retry-After}.
 */
public class RateLimitFilter {

    private static final Logger LOG = Logger.getLogger(RateLimitFilter.class);
    static final String STATE = "parley.rate-limit";
    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String STATE_HEADER = "RateLimit";

    @Inject
    RateLimiter limiter;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 50)
    public Response limit(ContainerRequestContext request) {
        var caller = AuthenticationFilter.caller(request);
        if (caller == null || !limiter.enabled()) {
            return null;
        }
        RateLimitState state;
        try {
            state = limiter.check(caller);
        } catch (RuntimeException e) {
            // A shared bucket that cannot be reached must not take the API down: let the request through.
            LOG.warnf("Rate limit check failed, request allowed: %s", e.toString());
            return null;
        }
        request.setProperty(STATE, state);
        if (state.allowed()) {
            return null;
        }
        var problem = Problem.of(ProblemCode.RATE_LIMITED,
                "Rate limit exceeded; retry after " + state.retryAfterSeconds() + " s",
                request.getUriInfo().getPath(), RequestIds.of(request));
        return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", state.retryAfterSeconds())
                .entity(problem).build();
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STATE) instanceof RateLimitState state) {
            response.getHeaders().putSingle(POLICY_HEADER, state.policyHeader());
            response.getHeaders().putSingle(STATE_HEADER, state.stateHeader());
        }
    }
}
