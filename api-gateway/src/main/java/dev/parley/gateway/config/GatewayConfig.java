package dev.parley.gateway.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "parley")
public interface GatewayConfig {

    Gateway gateway();

    Bootstrap bootstrap();

    interface Gateway {
        /** How long POST /v1/messages waits for the bot's reply before answering 202 Accepted. */
        @WithDefault("5000")
        long replyWaitMillis();

        /** Secret mixed into API key hashes, so a leaked database alone does not let anyone check guesses. */
        String keyPepper();
    }

    /** A tenant, API key and default bot ensured at start-up: how the local stack gets its demo tenant. */
    interface Bootstrap {
        Optional<String> tenant();

        Optional<String> apiKey();

        Optional<String> bot();

        /**
         * The tenant's own rate limits, as stored in {@code tenants.rate_limits} (JSON); absent leaves them as they
         * are.
         */
        Optional<String> rateLimits();
    }
}
