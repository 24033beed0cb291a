package dev.parley.gateway.security;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;

/** Every /v1 call needs {@code Authorization: Bearer <API key>}; the caller is attached to the request. */
public class AuthenticationFilter {

    public static final String CALLER = "parley.caller";

    @Inject
    ApiKeys apiKeys;

    @ServerRequestFilter(preMatching = false)
    public Response authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : null;
        var caller = token == null ? java.util.Optional.<Caller> empty() : apiKeys.authenticate(token);
        if (caller.isEmpty()) {
            var problem = Problem.of(ProblemCode.UNAUTHENTICATED,
                    token == null ? "Send 'Authorization: Bearer <API key>'" : "The API key is unknown, expired or revoked",
                    request.getUriInfo().getPath(), RequestIds.of(request));
            return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .entity(problem).build();
        }
        request.setProperty(CALLER, caller.get());
        return null;
    }

    public static Caller caller(ContainerRequestContext request) {
        return (Caller) request.getProperty(CALLER);
    }
}
