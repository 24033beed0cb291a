package dev.parley.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.parley.gateway.config.SecurityConfig;
import dev.parley.gateway.security.Caller;

/**
 * Two token buckets per request: the credential's (an API key, an OIDC client, or for a client token its
 * conversation) and the tenant's. Both must have a token; a token taken from the first is given back when the
 * second refuses. Buckets live in this JVM, or with {@code parley.security.rate-limit.shared} in PostgreSQL, from
 * which each replica borrows tokens in batches ({@link SharedTokenSources}).
 */
@ApplicationScoped
public class RateLimiter {

    public static final String KEY_POLICY = "key";
    public static final String TENANT_POLICY = "tenant";

    @Inject
    SecurityConfig config;
    @Inject
    TenantLimits tenantLimits;
    @Inject
    Instance<SharedTokenSources> shared;

    private Cache<String, TokenSource> sources;
    private Function<SourceSpec, TokenSource> factory;

    private record SourceSpec(String id, Limits.Limit limit) {
    }

    @PostConstruct
    void init() {
        sources = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();
        factory = config.rateLimit().shared()
                ? spec -> shared.get().source(spec.id(), spec.limit())
                : spec -> new LocalTokenSource(spec.limit());
    }

    public boolean enabled() {
        return config.rateLimit().enabled();
    }

    public RateLimitState check(Caller caller) {
        var limits = tenantLimits.of(caller.tenantId());
        String credential = caller.kind() == Caller.Kind.CLIENT_TOKEN ? "c:" + caller.conversationId()
                : caller.kind() == Caller.Kind.OIDC ? "o:" + caller.keyId() : "k:" + caller.keyId();
        var keySource = source(caller.tenantId() + '|' + credential, limits.perKey());
        var tenantSource = source(caller.tenantId() + "|tenant", limits.perTenant());
        var key = keySource.take();
        if (!key.taken()) {
            var tenantNow = new TokenSource.Take(true, -1, 0, 0);
            return state(false, key.nanosToRefill(), limits, key, tenantNow);
        }
        var tenant = tenantSource.take();
        if (!tenant.taken()) {
            keySource.giveBack();
            return state(false, tenant.nanosToRefill(), limits, new TokenSource.Take(true, key.remaining() + 1,
                    0, key.nanosToFull()), tenant);
        }
        return state(true, 0, limits, key, tenant);
    }

    private TokenSource source(String id, Limits.Limit limit) {
        var source = sources.get(id, ignored -> factory.apply(new SourceSpec(id, limit)));
        if (!source.limit().equals(limit)) {
            source = factory.apply(new SourceSpec(id, limit));
            sources.put(id, source);
        }
        return source;
    }

    private static RateLimitState state(boolean allowed, long nanosToWait, Limits limits, TokenSource.Take key,
            TokenSource.Take tenant) {
        long tenantRemaining = tenant.remaining();
        long tenantReset = seconds(tenant.nanosToFull());
        if (tenantRemaining < 0) {
            // The tenant bucket was not asked (the key bucket refused first): report it as last seen, unknown = full.
            tenantRemaining = limits.perTenant().capacity();
            tenantReset = 0;
        }
        return new RateLimitState(allowed, allowed ? 0 : Math.max(1, seconds(nanosToWait)), List.of(
                new RateLimitState.Policy(KEY_POLICY, limits.perKey().capacity(), limits.perKey().windowSeconds(),
                        key.remaining(), seconds(key.nanosToFull())),
                new RateLimitState.Policy(TENANT_POLICY, limits.perTenant().capacity(),
                        limits.perTenant().windowSeconds(), tenantRemaining, tenantReset)));
    }

    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
