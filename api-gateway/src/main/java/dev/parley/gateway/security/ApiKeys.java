package dev.parley.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.parley.gateway.config.GatewayConfig;
import dev.parley.gateway.config.SecurityConfig;
import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.repository.ApiKeyRepository.StoredKey;

/**
 * Checks API keys. A key is looked up by its keyed hash (HMAC-SHA256 with the server's pepper), so the clear key is
 * never stored; the digest found is compared with the computed one in constant time. Results, including misses,
 * are cached so the hot path makes no database round trip; a revocation or rotation evicts the key on every
 * replica ({@link CredentialEvents}). Last-use times are collected in memory and written in batches.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    /** Every Parley API key starts with this; issued keys carry the longer configured prefix (pk_live_). */
    public static final String PREFIX = "pk_";
    private static final int MAX_LENGTH = 200;
    private static final int SECRET_LENGTH = 43;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private record Entry(StoredKey key, Caller caller) {
    }

    @Inject
    GatewayConfig config;
    @Inject
    SecurityConfig security;
    @Inject
    ApiKeyRepository keys;

    private final SecureRandom random = new SecureRandom();
    private final Map<UUID, Instant> pendingLastUsed = new ConcurrentHashMap<>();
    private Cache<String, Optional<Entry>> cache;
    private ThreadLocal<Mac> macs;
    private ScheduledExecutorService flusher;

    @PostConstruct
    void init() {
        cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(security.apiKeys().cacheFor()).build();
        byte[] pepper = config.gateway().keyPepper().getBytes(StandardCharsets.UTF_8);
        macs = ThreadLocal.withInitial(() -> {
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
        long every = security.apiKeys().lastUsedFlushEvery().toMillis();
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("api-key-last-used").daemon().factory());
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        flusher.shutdownNow();
        flushQuietly();
    }

    public Optional<Caller> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String hash = hash(presented);
        var found = cache.get(hash, h -> keys.findByHash(h).map(key -> new Entry(key, key.caller())));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var entry = found.get();
        var now = Instant.now();
        if (!MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                entry.key().keyHash().getBytes(StandardCharsets.US_ASCII)) || !entry.key().activeAt(now)) {
            return Optional.empty();
        }
        pendingLastUsed.put(entry.key().id(), now);
        return Optional.of(entry.caller());
    }

    public String hash(String key) {
        return HexFormat.of().formatHex(macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new secret key: the configured prefix and 43 random base-62 characters (256 bits). */
    public String newKey() {
        var key = new StringBuilder(security.apiKeys().prefix());
        for (int i = 0; i < SECRET_LENGTH; i++) {
            key.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return key.toString();
    }

    /** Forgets a key on this replica, so its next use is checked against the database. */
    public void evict(UUID keyId) {
        cache.asMap().values().removeIf(entry -> entry.isPresent() && entry.get().key().id().equals(keyId));
    }

    /** The last use of a key seen by this replica and not yet written, if any. */
    public Optional<Instant> pendingLastUse(UUID keyId) {
        return Optional.ofNullable(pendingLastUsed.get(keyId));
    }

    /** Writes the collected last-use times in one statement. */
    public void flushLastUsed() {
        if (pendingLastUsed.isEmpty()) {
            return;
        }
        var batch = new HashMap<UUID, Instant>();
        for (var id : pendingLastUsed.keySet()) {
            Instant at = pendingLastUsed.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        try {
            keys.touch(batch);
        } catch (RuntimeException e) {
            batch.forEach((id, at) -> pendingLastUsed.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flushLastUsed();
        } catch (RuntimeException e) {
            LOG.warnf("Could not record API key use; will retry: %s", e.toString());
        }
    }

    /** The first characters of a key, safe to show and log, to tell keys apart. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), 12));
    }
}
