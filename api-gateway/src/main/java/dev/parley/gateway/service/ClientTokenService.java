package dev.parley.gateway.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.Backends;
import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.rest.KeyApi;
import dev.parley.gateway.security.Caller;
import dev.parley.gateway.security.ClientTokens;
import dev.parley.gateway.security.Scopes;

/** Exchanges an API key for a client token bound to one conversation, and refreshes such tokens. */
@ApplicationScoped
public class ClientTokenService {

    @Inject
    ClientTokens tokens;
    @Inject
    Backends backends;
    @Inject
    ApiKeyRepository keys;

    public KeyApi.ClientToken issue(Caller caller, KeyApi.CreateClientToken request) {
        if (caller.kind() == Caller.Kind.CLIENT_TOKEN) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "A client token cannot issue client tokens");
        }
        if (!caller.may(Scopes.CONVERSATIONS_WRITE)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + Scopes.CONVERSATIONS_WRITE);
        }
        requireEnabled();
        var conversation = backends.conversation(caller.tenantId(), request.conversationId(), 1).conversation();
        if (request.userId() != null && !request.userId().equals(conversation.userId())) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "userId: the conversation belongs to another user");
        }
        String token = tokens.issue(caller.tenantId(), conversation.conversationId(), conversation.userId(),
                conversation.botId(), caller.keyId(), Instant.now());
        return view(token);
    }

    public KeyApi.ClientToken refresh(Caller caller, String presented) {
        if (caller.kind() != Caller.Kind.CLIENT_TOKEN) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "Only a client token can be refreshed; send it as the bearer token");
        }
        requireEnabled();
        var claims = tokens.verify(presented).orElseThrow(
                () -> new ProblemException(ProblemCode.UNAUTHENTICATED, "The client token is invalid or expired"));
        if (!issuerStillActive(claims)) {
            throw new ProblemException(ProblemCode.UNAUTHENTICATED,
                    "The API key that issued this client token is no longer valid; ask your back end for a new token");
        }
        var token = tokens.issue(claims.tenantId(), claims.conversationId(), claims.userId(), claims.botId(),
                claims.issuedByKey(), claims.firstIssuedAt());
        var view = view(token);
        if (!view.expiresAt().isAfter(Instant.now())) {
            throw new ProblemException(ProblemCode.UNAUTHENTICATED,
                    "This conversation's client tokens reached their maximum lifetime; ask your back end for a new token");
        }
        return view;
    }

    private boolean issuerStillActive(ClientTokens.Claims claims) {
        if (claims.issuedByKey() == null) {
            return false;
        }
        try {
            return keys.find(claims.tenantId(), UUID.fromString(claims.issuedByKey()))
                    .map(key -> key.activeAt(Instant.now())).orElse(false);
        } catch (IllegalArgumentException notAKeyId) {
            return true; // issued through an OIDC client: bounded by the token's maximum lifetime
        }
    }

    private void requireEnabled() {
        if (!tokens.enabled()) {
            throw new ProblemException(ProblemCode.UNAVAILABLE,
                    "Client tokens are not configured on this gateway (parley.security.client-tokens.active-key)");
        }
    }

    private KeyApi.ClientToken view(String token) {
        var claims = tokens.verify(token).orElseThrow();
        return new KeyApi.ClientToken(token, "Bearer", claims.expiresAt(), claims.conversationId(), claims.userId());
    }
}
