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

    Attributes attributes();

    Lifecycle lifecycle();

    Erasure erasure();

    Retention retention();

    Export export();

    interface Attributes {
        /** Most attributes one user may hold. */
        @WithDefault("100")
        int maxCount();

        /** Longest attribute name, in characters. */
        @WithDefault("64")
        int maxKeyLength();

        /** Largest single attribute value, in bytes of its JSON form. */
        @WithDefault("2048")
        int maxValueBytes();

        /** Deepest nesting of objects and arrays inside one value (a plain string or number is depth 0). */
        @WithDefault("3")
        int maxDepth();
    }

    interface Lifecycle {
        /** A conversation with no message for this long is closed ({@code conversation.ended}, reason expired). */
        @WithDefault("PT30M")
        Duration inactivityTimeout();
    }

    interface Erasure {
        /** Services that must confirm an erasure before it counts as complete (session-service confirms itself). */
        @WithDefault("session-service,dialogue-service,webhook-service,knowledge-service")
        java.util.List<String> confirmingServices();
    }

    interface Retention {
        /** Messages older than this many days are purged; 0 keeps them forever. Tenants can override it. */
        @WithDefault("0")
        int defaultDays();

        /** Messages deleted per statement while purging, so a purge never holds long locks. */
        @WithDefault("5000")
        int batchSize();
    }

    interface Export {
        /** Rows the database sends per round trip while streaming an export. */
        @WithDefault("1000")
        int fetchSize();
    }

    interface Outbox {
        /** Events still in the outbox after this long are re-published by the sweeper (a crash interrupted them). */
        @WithDefault("PT5S")
        Duration sweepAfter();
    }
}
