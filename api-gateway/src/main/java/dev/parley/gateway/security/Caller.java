package dev.parley.gateway.security;

import java.util.Set;

/** Who is calling: the tenant and the scopes their credential grants. */
public record Caller(String tenantId, String keyId, Set<String> scopes, String defaultBotId) {

    public static final String CONVERSATIONS_WRITE = "conversations:write";
    public static final String CONVERSATIONS_READ = "conversations:read";
    public static final String ADMIN = "admin";

    public boolean may(String scope) {
        return scopes.contains(scope) || scopes.contains(ADMIN);
    }
}
