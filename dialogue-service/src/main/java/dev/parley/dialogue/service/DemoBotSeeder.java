package dev.parley.dialogue.service;

import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.dialogue.config.DialogueConfig;
import io.quarkus.runtime.StartupEvent;

/** Installs the demo bot for the configured tenant when it has none yet, so a fresh local stack can chat. */
@ApplicationScoped
public class DemoBotSeeder {

    private static final Logger LOG = Logger.getLogger(DemoBotSeeder.class);

    @Inject
    DialogueConfig config;
    @Inject
    BotRegistry registry;
    @Inject
    NluService nlu;

    void onStart(@Observes StartupEvent event) throws SQLException {
        var tenant = config.demoBot().tenant();
        if (tenant.isEmpty() || tenant.get().isBlank()) {
            return;
        }
        var installed = registry.latest(tenant.get(), config.demoBot().id());
        if (installed.isPresent()) {
            nlu.of(installed.get());
            return;
        }
        var definition = DemoBot.load();
        int version = registry.publish(tenant.get(), definition);
        int phrases = definition.intents().values().stream().mapToInt(i -> i.examples().size()).sum();
        LOG.infof("Installed demo bot '%s' v%d for tenant '%s': %d intents, %d training phrases", definition.id(),
                version, tenant.get(), definition.intents().size(), phrases);
    }
}
