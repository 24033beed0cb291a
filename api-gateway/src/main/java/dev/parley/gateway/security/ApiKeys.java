package dev.parley.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.parley.gateway.config.GatewayConfig;
import dev.parley.gateway.repository.ApiKeyRepository;

/**
 * Checks API keys. A key is looked up by its keyed hash (HMAC-SHA256 with the server's pepper), so the clear key
 * is never stored and comparison happens on fixed-length digests inside the database index. Results, including
 * misses, are cached briefly so the hot path makes no database round trip.
 */
@ApplicationScoped
public class ApiKeys {

    public static final String PREFIX = "pk_";
    private static final Duration CACHE_FOR = Duration.ofSeconds(30);

    @Inject
    GatewayConfig config;
    @Inject
    ApiKeyRepository keys;

    private final Cache<String, Optional<Caller>> cache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(CACHE_FOR)
            .build();

    public Optional<Caller> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(presented);
        return cache.get(hash, keys::findActiveByHash);
    }

    public String hash(String key) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.gateway().keyPepper().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The first characters of a key, safe to show and log, to tell keys apart. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }
}
