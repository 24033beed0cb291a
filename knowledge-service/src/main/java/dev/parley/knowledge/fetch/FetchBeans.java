package dev.parley.knowledge.fetch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.parley.common.net.HostResolver;
import dev.parley.knowledge.config.KnowledgeConfig;
import io.quarkus.arc.DefaultBean;

/** The production resolver (a test may replace it with an alternative bean) and the fetch policy built on it. */
@ApplicationScoped
public class FetchBeans {

    @Produces
    @DefaultBean
    @ApplicationScoped
    HostResolver system() {
        return HostResolver.SYSTEM;
    }

    @Produces
    @Singleton
    FetchPolicy fetchPolicy(KnowledgeConfig config, HostResolver resolver) {
        return FetchPolicy.of(resolver, config.fetch());
    }
}
