package dev.parley.gateway.security;

import java.util.Set;

/**
 * Who is calling: the tenant and the scopes their credential grants. {@code keyId} names the credential (an API
 * key id, a client token's id or an OIDC subject); {@code kind} says which of them it is. A client token is bound
 * to one conversation ({@code conversationId}, and {@code userId}) and may touch nothing else.
 */
public record Caller(String tenantId, String keyId, Set<String> scopes, String defaultBotId, Kind kind,
        String conversationId, String userId) {

    public enum Kind {
        API_KEY, CLIENT_TOKEN, OIDC
    }

    public static final String CONVERSATIONS_WRITE = Scopes.CONVERSATIONS_WRITE;
    public static final String CONVERSATIONS_READ = Scopes.CONVERSATIONS_READ;
    public static final String ADMIN = Scopes.ADMIN;

    /** An API key's caller. */
    public Caller(String tenantId, String keyId, Set<String> scopes, String defaultBotId) {
        this(tenantId, keyId, scopes, defaultBotId, Kind.API_KEY, null, null);
    }

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean may(String scope) {
        return scopes.contains(scope) || scopes.contains(ADMIN);
    }

    /** Whether this caller is limited to one conversation (a client token). */
    public boolean conversationBound() {
        return conversationId != null;
    }

    /** Whether this caller may touch the given conversation: any of its tenant's, unless bound to one. */
    public boolean mayAccessConversation(String conversation) {
        return conversationId == null || conversationId.equals(conversation);
    }
}
