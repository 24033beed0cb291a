package dev.parley.webhook.security;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.parley.common.net.HostResolver;
import dev.parley.common.net.UrlPolicy;
import dev.parley.webhook.config.WebhookConfig;
import io.quarkus.arc.DefaultBean;

/** The production resolver (a test may replace it with an alternative bean) and the SSRF policy built on it. */
@ApplicationScoped
public class Resolvers {

    @Produces
    @DefaultBean
    @ApplicationScoped
    HostResolver system() {
        return HostResolver.SYSTEM;
    }

    @Produces
    @Singleton
    UrlPolicy urlPolicy(WebhookConfig config, HostResolver resolver) {
        return new UrlPolicy(resolver, config.ssrf().httpsOnly(), config.ssrf().allowedNetworks().orElse(List.of()));
    }
}
