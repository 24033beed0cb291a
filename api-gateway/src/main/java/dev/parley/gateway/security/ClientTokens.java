package dev.parley.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.gateway.config.SecurityConfig;

/**
 * Short-lived client tokens for browsers and mobile apps: {@code pct_} followed by a compact JWT signed with
 * HMAC-SHA256 (HS256). The token is bound to one tenant, conversation and user; it carries the id of the API key
 * that asked for it, so that a refresh stops working once that key is revoked. Signing keys are named (kid): the
 * active one signs, every configured one verifies, which is how the signing key is rotated without downtime.
 */
@ApplicationScoped
public class ClientTokens {

    public static final String PREFIX = "pct_";
    static final String ISSUER = "parley";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_LENGTH = 2048;

    /** A verified token's claims. */
    public record Claims(String tokenId, String tenantId, String conversationId, String userId, String botId,
            String issuedByKey, Instant issuedAt, Instant expiresAt, Instant firstIssuedAt) {
    }

    @Inject
    SecurityConfig config;
    @Inject
    ObjectMapper json;

    private Map<String, byte[]> keys;

    @PostConstruct
    void init() {
        keys = new LinkedHashMap<>();
        config.clientTokens().signingKeys().forEach((kid, secret) -> {
            if (secret.length() < 32) {
                throw new IllegalStateException("parley.security.client-tokens.signing-keys." + kid
                        + " must be at least 32 characters long");
            }
            keys.put(kid, secret.getBytes(StandardCharsets.UTF_8));
        });
        config.clientTokens().activeKey().ifPresent(kid -> {
            if (!keys.containsKey(kid)) {
                throw new IllegalStateException("parley.security.client-tokens.active-key names no signing key: " + kid);
            }
        });
    }

    public boolean enabled() {
        return config.clientTokens().activeKey().isPresent();
    }

    /** Signs a token; {@code firstIssuedAt} is carried over by refreshes to bound the chain's lifetime. */
    public String issue(String tenantId, String conversationId, String userId, String botId, String issuedByKey,
            Instant firstIssuedAt) {
        String kid = config.clientTokens().activeKey()
                .orElseThrow(() -> new IllegalStateException("Client tokens are not configured"));
        var now = Instant.now();
        var expires = now.plus(config.clientTokens().ttl());
        var hardLimit = firstIssuedAt.plus(config.clientTokens().maxLifetime());
        if (expires.isAfter(hardLimit)) {
            expires = hardLimit;
        }
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        header.put("kid", kid);
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", ISSUER);
        claims.put("sub", userId);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("tid", tenantId);
        claims.put("cid", conversationId);
        if (botId != null) {
            claims.put("bid", botId);
        }
        claims.put("akid", issuedByKey);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("oiat", firstIssuedAt.getEpochSecond());
        claims.put("scope", Scopes.CONVERSATIONS_WRITE + " " + Scopes.CONVERSATIONS_READ);
        try {
            String signingInput = B64.encodeToString(json.writeValueAsBytes(header)) + '.'
                    + B64.encodeToString(json.writeValueAsBytes(claims));
            return PREFIX + signingInput + '.' + B64.encodeToString(sign(keys.get(kid), signingInput));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a genuine, unexpired token; empty for anything else (forged, expired, malformed, unknown kid). */
    public Optional<Claims> verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String jwt = token.substring(PREFIX.length());
        int first = jwt.indexOf('.');
        int last = jwt.lastIndexOf('.');
        if (first <= 0 || last == first || last == jwt.length() - 1) {
            return Optional.empty();
        }
        try {
            JsonNode header = json.readTree(B64D.decode(jwt.substring(0, first)));
            if (!"HS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            byte[] key = keys.get(header.path("kid").asText());
            if (key == null) {
                return Optional.empty();
            }
            byte[] expected = sign(key, jwt.substring(0, last));
            if (!MessageDigest.isEqual(expected, B64D.decode(jwt.substring(last + 1)))) {
                return Optional.empty();
            }
            JsonNode claims = json.readTree(B64D.decode(jwt.substring(first + 1, last)));
            var expires = Instant.ofEpochSecond(claims.path("exp").asLong(0));
            if (!ISSUER.equals(claims.path("iss").asText()) || !expires.isAfter(Instant.now())
                    || !claims.path("tid").isTextual() || !claims.path("cid").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Claims(claims.path("jti").asText(), claims.path("tid").asText(),
                    claims.path("cid").asText(), claims.path("sub").asText(null), claims.path("bid").asText(null),
                    claims.path("akid").asText(null), Instant.ofEpochSecond(claims.path("iat").asLong()), expires,
                    Instant.ofEpochSecond(claims.path("oiat").asLong(claims.path("iat").asLong()))));
        } catch (IOException | IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    public Optional<Caller> authenticate(String token) {
        return verify(token).map(claims -> new Caller(claims.tenantId(), claims.tokenId(),
                Set.of(Scopes.CONVERSATIONS_WRITE, Scopes.CONVERSATIONS_READ), claims.botId(),
                Caller.Kind.CLIENT_TOKEN, claims.conversationId(), claims.userId()));
    }

    private static byte[] sign(byte[] key, String input) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
