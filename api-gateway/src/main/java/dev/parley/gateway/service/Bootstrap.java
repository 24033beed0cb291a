package dev.parley.gateway.service;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.gateway.config.GatewayConfig;
import dev.parley.gateway.ratelimit.TenantLimits;
import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.security.ApiKeys;
import dev.parley.gateway.security.Caller;
import io.quarkus.runtime.StartupEvent;

/**
 * Ensures the configured bootstrap tenant and its admin API key exist, with the tenant's own rate limits where they
 * are configured (the local stack's demo tenant).
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    GatewayConfig config;
    @Inject
    ApiKeyRepository keys;
    @Inject
    ApiKeys apiKeys;
    @Inject
    TenantLimits tenantLimits;

    void onStart(@Observes StartupEvent event) throws SQLException {
        var bootstrap = config.bootstrap();
        if (bootstrap.tenant().isEmpty() || bootstrap.apiKey().isEmpty()) {
            return;
        }
        try {
            ensure(bootstrap.tenant().get(), bootstrap.apiKey().get(), bootstrap.bot(), bootstrap.rateLimits());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("parley.bootstrap.rate-limits: " + e.getMessage(), e);
        }
    }

    public void ensure(String tenant, String key, Optional<String> bot, Optional<String> rateLimits) throws SQLException {
        if (!key.startsWith(ApiKeys.PREFIX) || key.length() < 24) {
            throw new IllegalStateException("parley.bootstrap.api-key must start with " + ApiKeys.PREFIX
                    + " and be at least 24 characters long");
        }
        keys.ensure(tenant, bot.orElse(null), "bootstrap", ApiKeys.displayPrefix(key), apiKeys.hash(key),
                Set.of(Caller.ADMIN));
        if (rateLimits.isPresent()) {
            tenantLimits.set(tenant, rateLimits.get());
        }
        LOG.infof("Bootstrap tenant '%s' ready with API key %s…%s", tenant, ApiKeys.displayPrefix(key),
                rateLimits.map(limits -> ", rate limits " + limits).orElse(""));
    }
}
