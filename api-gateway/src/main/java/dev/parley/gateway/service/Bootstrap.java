package dev.parley.gateway.service;

import java.sql.SQLException;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.gateway.config.GatewayConfig;
import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.security.ApiKeys;
import dev.parley.gateway.security.Caller;
import io.quarkus.runtime.StartupEvent;

/** Ensures the configured bootstrap tenant and its admin API key exist (the local stack's demo tenant). */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    GatewayConfig config;
    @Inject
    ApiKeyRepository keys;
    @Inject
    ApiKeys apiKeys;

    void onStart(@Observes StartupEvent event) throws SQLException {
        var bootstrap = config.bootstrap();
        if (bootstrap.tenant().isEmpty() || bootstrap.apiKey().isEmpty()) {
            return;
        }
        String key = bootstrap.apiKey().get();
        if (!key.startsWith(ApiKeys.PREFIX) || key.length() < 24) {
            throw new IllegalStateException("parley.bootstrap.api-key must start with " + ApiKeys.PREFIX
                    + " and be at least 24 characters long");
        }
        keys.ensure(bootstrap.tenant().get(), bootstrap.bot().orElse(null), "bootstrap", ApiKeys.displayPrefix(key),
                apiKeys.hash(key), Set.of(Caller.ADMIN));
        LOG.infof("Bootstrap tenant '%s' ready with API key %s…", bootstrap.tenant().get(), ApiKeys.displayPrefix(key));
    }
}
