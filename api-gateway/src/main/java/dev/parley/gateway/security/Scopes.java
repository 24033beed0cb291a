package dev.parley.gateway.security;

import java.util.Set;

/** Every scope a credential can carry. {@code admin} implies all of them. */
public final class Scopes {

    public static final String CONVERSATIONS_WRITE = "conversations:write";
    public static final String CONVERSATIONS_READ = "conversations:read";
    public static final String USERS_MANAGE = "users:manage";
    public static final String BOTS_MANAGE = "bots:manage";
    public static final String KNOWLEDGE_MANAGE = "knowledge:manage";
    public static final String WEBHOOKS_MANAGE = "webhooks:manage";
    public static final String ADMIN = "admin";

    public static final Set<String> ALL = Set.of(CONVERSATIONS_WRITE, CONVERSATIONS_READ, USERS_MANAGE, BOTS_MANAGE,
            KNOWLEDGE_MANAGE, WEBHOOKS_MANAGE, ADMIN);

    private Scopes() {
    }
}
