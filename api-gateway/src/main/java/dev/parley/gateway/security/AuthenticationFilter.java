package dev.parley.gateway.security;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;

/**
 * Every /v1 call needs {@code Authorization: Bearer <token>}; the caller is attached to the request. The token's
 * shape says what it is: {@code pk_…} is an API key, {@code pct_…} a client token, three dot-separated base64url
 * parts an OIDC access token (only when OIDC is enabled, and only after both prefixes were ruled out, so API keys and
 * client tokens never pay for it); anything else is refused.
 * Runs for every /v1 endpoint, present or future, because it matches on the path, not on a resource.
 */
public class AuthenticationFilter {

    private static final Logger LOG = Logger.getLogger(AuthenticationFilter.class);
    public static final String CALLER = "parley.caller";
    private static final String CONVERSATIONS = "/v1/conversations/";

    @Inject
    ApiKeys apiKeys;
    @Inject
    ClientTokens clientTokens;
    @Inject
    OidcTokens oidcTokens;

    @ServerRequestFilter(preMatching = false, priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : null;
        Optional<Caller> caller;
        try {
            caller = token == null ? Optional.empty() : identify(token);
        } catch (RuntimeException e) {
            // The credential store is unreachable: the caller is not at fault and may retry.
            LOG.warnf("Could not check a credential: %s", e.toString());
            return problem(request, ProblemCode.UNAVAILABLE, "Credentials cannot be checked right now; retry shortly")
                    .header("Retry-After", "2").build();
        }
        if (caller.isEmpty()) {
            return problem(request, ProblemCode.UNAUTHENTICATED,
                    token == null ? "Send 'Authorization: Bearer <API key or token>'"
                            : "The credential is unknown, expired or revoked")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        request.setProperty(CALLER, caller.get());
        if (caller.get().conversationBound()) {
            return confine(request, caller.get());
        }
        return null;
    }

    /**
     * A client token reaches its own conversation and nothing else, whatever endpoints exist: sessions and messages
     * (whose service checks the conversation), the conversation's own paths, and its refresh. Another
     * conversation is 404, as if it did not exist; any other endpoint is 403.
     */
    private static Response confine(ContainerRequestContext request, Caller caller) {
        String path = request.getUriInfo().getPath();
        String method = request.getMethod();
        if ("POST".equals(method) && (path.equals("/v1/sessions") || path.equals("/v1/messages")
                || path.equals("/v1/client-tokens/refresh"))) {
            return null;
        }
        if (path.startsWith(CONVERSATIONS)) {
            String rest = path.substring(CONVERSATIONS.length());
            int slash = rest.indexOf('/');
            String conversation = slash < 0 ? rest : rest.substring(0, slash);
            if (!caller.mayAccessConversation(conversation)) {
                return problem(request, ProblemCode.CONVERSATION_NOT_FOUND, "Conversation not found").build();
            }
            return null;
        }
        return problem(request, ProblemCode.FORBIDDEN,
                "A client token may only use its own conversation; call this endpoint from your back end").build();
    }

    private Optional<Caller> identify(String token) {
        if (token.startsWith(ApiKeys.PREFIX)) {
            return apiKeys.authenticate(token);
        }
        if (token.startsWith(ClientTokens.PREFIX)) {
            return clientTokens.authenticate(token);
        }
        if (oidcTokens.enabled()) {
            return oidcTokens.authenticate(token);
        }
        return Optional.empty();
    }

    static Response.ResponseBuilder problem(ContainerRequestContext request, ProblemCode code, String detail) {
        var problem = Problem.of(code, detail, request.getUriInfo().getPath(), RequestIds.of(request));
        return Response.status(code.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    public static Caller caller(ContainerRequestContext request) {
        return (Caller) request.getProperty(CALLER);
    }
}
