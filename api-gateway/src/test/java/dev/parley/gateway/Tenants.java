package dev.parley.gateway;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.security.ApiKeys;
import dev.parley.gateway.security.Scopes;

/** Makes further tenants with an admin key, as an operator would at onboarding. */
@ApplicationScoped
public class Tenants {

    @Inject
    ApiKeyRepository keys;
    @Inject
    ApiKeys apiKeys;

    /** A fresh tenant and the secret of its admin key. */
    public String newTenantAdmin(String tenantId) throws Exception {
        String secret = "pk_test_" + tenantId + "_" + UUID.randomUUID().toString().replace("-", "");
        keys.ensure(tenantId, "banking-demo", "admin", ApiKeys.displayPrefix(secret), apiKeys.hash(secret),
                Set.of(Scopes.ADMIN));
        return secret;
    }
}
