package dev.parley.dialogue.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "parley.dialogue")
public interface DialogueConfig {

    /** Below this score a message is not forced into the nearest intent: the bot answers with its fallback. */
    @WithDefault("0.3")
    double matchThreshold();

    DemoBot demoBot();

    interface DemoBot {
        /** The tenant that gets the BANKING77 demo bot at start-up; none when unset. */
        Optional<String> tenant();

        @WithDefault("banking-demo")
        String id();
    }
}
