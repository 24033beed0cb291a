package dev.parley.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.config.SecurityConfig;
import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.repository.ApiKeyRepository.StoredKey;
import dev.parley.gateway.rest.KeyApi;
import dev.parley.gateway.security.ApiKeys;
import dev.parley.gateway.security.AuditTrail;
import dev.parley.gateway.security.Caller;
import dev.parley.gateway.security.CredentialEvents;
import dev.parley.gateway.security.Scopes;

/** The API key lifecycle of a tenant: create, list, rotate, revoke. Every change is audited. */
@ApplicationScoped
public class ApiKeyService {

    static final int LIST_LIMIT = 500;

    @Inject
    ApiKeyRepository keys;
    @Inject
    ApiKeys apiKeys;
    @Inject
    CredentialEvents credentials;
    @Inject
    AuditTrail audit;
    @Inject
    SecurityConfig config;

    public KeyApi.KeyCreated create(Caller caller, KeyApi.CreateKey request) {
        requireAdmin(caller);
        var scopes = validScopes(request.scopes());
        var now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "expiresAt: must be in the future");
        }
        String secret = apiKeys.newKey();
        var key = new StoredKey(UUID.randomUUID(), caller.tenantId(), request.name(), ApiKeys.displayPrefix(secret),
                apiKeys.hash(secret), scopes, now, truncate(request.expiresAt()), null, null, null, caller.keyId(), null);
        keys.insert(key);
        audit.record(caller, "api_key.created", "api_key", key.id().toString(), details(key));
        return new KeyApi.KeyCreated(secret, view(key), null);
    }

    public KeyApi.KeyList list(Caller caller) {
        requireAdmin(caller);
        return new KeyApi.KeyList(keys.list(caller.tenantId(), LIST_LIMIT).stream().map(this::view).toList());
    }

    public KeyApi.KeyView get(Caller caller, String id) {
        requireAdmin(caller);
        return view(find(caller, id));
    }

    public KeyApi.KeyCreated rotate(Caller caller, String id, KeyApi.RotateKey request) {
        requireAdmin(caller);
        var old = find(caller, id);
        var now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!old.activeAt(now)) {
            throw new ProblemException(ProblemCode.CONFLICT, "Only an active key can be rotated; this one is " + status(old, now));
        }
        Duration grace = request == null || request.gracePeriodSeconds() == null ? config.apiKeys().rotationGrace()
                : Duration.ofSeconds(request.gracePeriodSeconds());
        if (grace.compareTo(config.apiKeys().maxRotationGrace()) > 0) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                    "gracePeriodSeconds: at most " + config.apiKeys().maxRotationGrace().toSeconds());
        }
        String secret = apiKeys.newKey();
        var successor = new StoredKey(UUID.randomUUID(), caller.tenantId(), old.name(), ApiKeys.displayPrefix(secret),
                apiKeys.hash(secret), old.scopes(), now, old.expiresAt(), null, null, old.id(), caller.keyId(), null);
        Instant graceUntil = now.plus(grace);
        keys.rotate(caller.tenantId(), old.id(), successor, graceUntil).orElseThrow(
                () -> new ProblemException(ProblemCode.CONFLICT, "The key changed meanwhile; read it again"));
        credentials.announce(caller.tenantId(), old.id(), "rotated");
        var oldExpiry = old.expiresAt() != null && old.expiresAt().isBefore(graceUntil) ? old.expiresAt() : graceUntil;
        var details = details(successor);
        details.put("replaces", old.id().toString());
        details.put("previousKeyExpiresAt", oldExpiry.toString());
        audit.record(caller, "api_key.rotated", "api_key", old.id().toString(), details);
        return new KeyApi.KeyCreated(secret, view(successor), oldExpiry);
    }

    public KeyApi.KeyView revoke(Caller caller, String id) {
        requireAdmin(caller);
        var key = find(caller, id);
        var revoked = keys.revoke(caller.tenantId(), key.id()).orElseThrow(() -> notFound(id));
        credentials.announce(caller.tenantId(), key.id(), "revoked");
        audit.record(caller, "api_key.revoked", "api_key", key.id().toString(), details(revoked));
        return view(revoked);
    }

    private StoredKey find(Caller caller, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            throw notFound(id);
        }
        return keys.find(caller.tenantId(), uuid).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemCode.NOT_FOUND, "No API key " + sanitized(id));
    }

    private static String sanitized(String id) {
        return id.length() > 64 ? id.substring(0, 64) + "…" : id;
    }

    private static TreeSet<String> validScopes(List<String> requested) {
        var scopes = new TreeSet<String>();
        for (int i = 0; i < requested.size(); i++) {
            String scope = requested.get(i);
            if (!Scopes.ALL.contains(scope)) {
                // The value is not echoed: a pasted secret must not come back in an error.
                throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                        "scopes[" + i + "]: unknown scope; known: " + new TreeSet<>(Scopes.ALL));
            }
            scopes.add(scope);
        }
        return scopes;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.may(Scopes.ADMIN)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + Scopes.ADMIN);
        }
    }

    private static Instant truncate(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static Map<String, Object> details(StoredKey key) {
        var details = new LinkedHashMap<String, Object>();
        details.put("name", key.name());
        details.put("prefix", key.prefix());
        details.put("scopes", List.copyOf(new TreeSet<>(key.scopes())));
        if (key.expiresAt() != null) {
            details.put("expiresAt", key.expiresAt().toString());
        }
        return details;
    }

    private static String status(StoredKey key, Instant now) {
        return key.revokedAt() != null ? "revoked" : key.activeAt(now) ? "active" : "expired";
    }

    private KeyApi.KeyView view(StoredKey key) {
        Instant lastUsed = key.lastUsedAt();
        Optional<Instant> pending = apiKeys.pendingLastUse(key.id());
        if (pending.isPresent() && (lastUsed == null || pending.get().isAfter(lastUsed))) {
            lastUsed = pending.get();
        }
        return new KeyApi.KeyView(key.id().toString(), key.name(), key.prefix(), List.copyOf(new TreeSet<>(key.scopes())),
                status(key, Instant.now()), key.createdAt(), key.expiresAt(), key.revokedAt(), lastUsed,
                key.replaces() == null ? null : key.replaces().toString());
    }
}
