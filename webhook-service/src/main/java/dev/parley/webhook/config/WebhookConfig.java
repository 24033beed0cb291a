package dev.parley.webhook.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "parley.webhook")
public interface WebhookConfig {

    /**
     * AES-256 key (base64 of 32 bytes) that encrypts signing secrets at rest. The default is for local development
     * only: set your own in production ({@code PARLEY_WEBHOOK_ENCRYPTION_KEY}).
     */
    @WithDefault("cGFybGV5LWxvY2FsLWRldmVsb3BtZW50LWtleS0zMmI=")
    String encryptionKey();

    /** Most endpoints one tenant may register. */
    @WithDefault("100")
    int maxSubscriptionsPerTenant();

    Ssrf ssrf();

    Delivery delivery();

    Retry retry();

    Retention retention();

    Outbox outbox();

    Consumer consumer();

    Dispatcher dispatcher();

    interface Outbox {
        /** How often unpublished {@code webhook.endpoint.disabled} events are looked for. */
        @WithDefault("5s")
        String sweepEvery();
    }

    interface Consumer {
        /** Read the event topics (off only for tools that use the API alone). */
        @WithDefault("true")
        boolean enabled();

        /** The Kafka consumer group: one per deployment of webhook-service. */
        @WithDefault("webhook-service")
        String groupId();
    }

    interface Dispatcher {
        /** Deliver from the database. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Ssrf {
        /** Refuse plain http:// endpoints. */
        @WithDefault("false")
        boolean httpsOnly();

        /**
         * Networks (CIDR, e.g. {@code 127.0.0.0/8}, {@code 10.1.2.0/24}, {@code ::1/128}) that endpoints may
         * resolve to even though they are loopback, private, link-local, CGNAT or otherwise internal. Empty: every
         * internal address is refused.
         */
        Optional<List<String>> allowedNetworks();
    }

    interface Delivery {
        /** Time limit of one HTTP attempt, from connecting to the end of the response. */
        @WithDefault("PT15S")
        Duration timeout();

        /** Concurrent requests to one endpoint (per replica). */
        @WithDefault("32")
        int maxInFlightPerEndpoint();

        /** Concurrent requests in all (per replica). */
        @WithDefault("1024")
        int maxInFlight();

        /** Consecutive failures that open an endpoint's circuit breaker. */
        @WithDefault("5")
        int circuitFailureThreshold();

        /** How long an open circuit holds an endpoint's deliveries before one probe goes through. */
        @WithDefault("PT30S")
        Duration circuitOpenFor();

        /** How often the database is polled for due retries when nothing wakes the dispatcher earlier. */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /** Characters of the receiver's response body kept with an attempt. */
        @WithDefault("2048")
        int responseExcerptChars();

        /** An endpoint failing without a single success for this long is disabled. */
        @WithDefault("P5D")
        Duration disableAfter();

        /**
         * How often deliveries waiting in a conversation's line (endpoints with {@code ordering: conversation}) are
         * checked for one whose turn came without the usual hand-over (the one ahead was purged by the retention
         * policy, replayed, or its endpoint stopped ordering). The end of an attempt hands over at once; this is the
         * safety net.
         */
        @WithDefault("30s")
        String lineSweepEvery();
    }

    interface Retry {
        /**
         * When attempt n+1 is made after attempt n failed: the first entry is the first attempt (immediately), the
         * number of entries is the number of attempts.
         */
        @WithDefault("0s,5s,5m,30m,2h,5h,10h,10h")
        List<Duration> schedule();

        /** Each delay is varied at random by up to this fraction, so retries of many deliveries spread out. */
        @WithDefault("0.2")
        double jitter();

        /** The longest Retry-After (on 429 and 503) that is honoured; longer values are cut to this. */
        @WithDefault("PT10H")
        Duration maxRetryAfter();
    }

    interface Retention {
        /** Event bodies and response excerpts older than this are purged; the delivery log stays. */
        @WithDefault("P30D")
        Duration payloads();

        /** How often the purge runs. */
        @WithDefault("1h")
        String purgeEvery();
    }
}
