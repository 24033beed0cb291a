package dev.parley.webhook.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;

/** The production resolver; a test may replace it with an alternative bean. */
@ApplicationScoped
public class Resolvers {

    @Produces
    @DefaultBean
    @ApplicationScoped
    HostResolver system() {
        return HostResolver.SYSTEM;
    }
}
