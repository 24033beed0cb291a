package dev.parley.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of authentication, API key lifecycle, idempotency, rate limits and client tokens. */
@ConfigMapping(prefix = "parley.security")
public interface SecurityConfig {

    ApiKeys apiKeys();

    Idempotency idempotency();

    RateLimit rateLimit();

    ClientTokens clientTokens();

    interface ApiKeys {
        /** The start of every key this gateway issues; any key starting with {@code pk_} is accepted. */
        @WithDefault("pk_live_")
        String prefix();

        /** How long a checked key stays in the in-memory cache (revocation also evicts it on every replica). */
        @WithDefault("5M")
        Duration cacheFor();

        /** How often last-use times are written to the database, in one batch. */
        @WithDefault("30S")
        Duration lastUsedFlushEvery();

        /** How long the old key keeps working after a rotation, unless the request says otherwise. */
        @WithDefault("24H")
        Duration rotationGrace();

        /** The longest grace period a rotation may ask for. */
        @WithDefault("7D")
        Duration maxRotationGrace();
    }

    interface Idempotency {
        /** How long the first result of a POST with an Idempotency-Key is kept for replay. */
        @WithDefault("24H")
        Duration keepFor();

        /** A request still in flight after this long is presumed dead (its replica crashed); a retry may run. */
        @WithDefault("60S")
        Duration inFlightTimeout();

        /** How often expired records are deleted. */
        @WithDefault("1H")
        Duration purgeEvery();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Default bucket of one API key (or client token, or OIDC client): capacity tokens per period. */
        Limit perKey();

        /** Default bucket shared by all credentials of a tenant. */
        Limit perTenant();

        /**
         * Share the buckets through PostgreSQL so that limits hold across gateway replicas. Each replica borrows
         * tokens in batches, so the database is asked once per batch, not per request.
         */
        @WithDefault("false")
        boolean shared();

        /** Tokens a replica borrows from the shared bucket at a time. */
        @WithDefault("10")
        int borrowBatch();

        /** How long the per-tenant limits read from the database are cached. */
        @WithDefault("30S")
        Duration tenantSettingsCacheFor();
    }

    interface Limit {
        long capacity();

        Duration period();
    }

    interface ClientTokens {
        /** Signing keys by key id (kid). Several may be listed so that tokens signed by a retiring key stay valid. */
        Map<String, String> signingKeys();

        /** The kid that signs new tokens. */
        Optional<String> activeKey();

        /** How long a client token lives. */
        @WithDefault("15M")
        Duration ttl();

        /** How long a chain of refreshes may keep a conversation's access alive from the first token. */
        @WithDefault("24H")
        Duration maxLifetime();
    }
}
