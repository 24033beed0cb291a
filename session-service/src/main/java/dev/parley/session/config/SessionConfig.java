package dev.parley.session.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "parley.session")
public interface SessionConfig {

    /** How long a session stays valid after it is created. */
    @WithDefault("PT24H")
    Duration ttl();

    Outbox outbox();

    interface Outbox {
        /** Events still in the outbox after this long are re-published by the sweeper (a crash interrupted them). */
        @WithDefault("PT5S")
        Duration sweepAfter();
    }
}
