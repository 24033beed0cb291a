package dev.parley.gateway.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.parley.gateway.config.OidcConfig;
import dev.parley.gateway.repository.TenantRepository;
import dev.parley.gateway.repository.TenantRepository.Tenant;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * OIDC access tokens (signed JWTs) of the configured issuers. The unverified {@code iss} only picks the issuer; the
 * token is then verified by SmallRye JWT against that issuer's JWKS (fetched once and cached, refreshed on a schedule
 * and when an unknown key id shows up): signature with an asymmetric algorithm, issuer, expiry and audience. The
 * tenant comes from the issuer's configuration or a claim and must exist; the scopes come from a claim. Neither the
 * token nor its claims are ever logged or echoed: a refusal only says that the credential is not valid.
 */
@ApplicationScoped
public class OidcTokens {

    private static final Logger LOG = Logger.getLogger(OidcTokens.class);
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";
    private static final int MAX_CLAIM_LENGTH = 200;
    private static final Set<SignatureAlgorithm> ASYMMETRIC = Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512,
            SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512, SignatureAlgorithm.EDDSA);

    /** Why a token was refused; logged (at debug) with the issuer's configured name, never with the token. */
    enum Refusal {
        MALFORMED, UNKNOWN_ISSUER, INVALID, NO_TENANT, TENANT_MISMATCH, UNKNOWN_TENANT
    }

    @Inject
    OidcConfig config;
    @Inject
    TenantRepository tenantRepository;
    @Inject
    ObjectMapper json;

    private Map<String, TrustedIssuer> byIssuer = Map.of();
    private Cache<String, Optional<Tenant>> tenants;
    private HttpClient http;

    @PostConstruct
    void init() {
        if (!config.enabled()) {
            return;
        }
        tenants = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.tenantCacheFor()).build();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        var issuers = new LinkedHashMap<String, TrustedIssuer>();
        config.issuers().forEach((name, issuer) -> {
            String prefix = "parley.security.oidc.issuers." + name + ".";
            if (issuer.issuer().isBlank()) {
                throw new IllegalStateException(prefix + "issuer must not be blank");
            }
            if (issuer.jwksUrl().isEmpty() && issuer.discovery().isEmpty()) {
                throw new IllegalStateException(prefix + "jwks-url or " + prefix + "discovery is required");
            }
            if (issuer.tenant().isEmpty() && issuer.tenantClaim().isEmpty()) {
                throw new IllegalStateException(prefix + "tenant or " + prefix + "tenant-claim is required");
            }
            if (issuers.put(issuer.issuer(), new TrustedIssuer(name, issuer)) != null) {
                throw new IllegalStateException(prefix + "issuer is configured twice: " + issuer.issuer());
            }
        });
        byIssuer = Map.copyOf(issuers);
        if (byIssuer.isEmpty()) {
            LOG.warn("OIDC is enabled but no issuer is configured (parley.security.oidc.issuers.<name>.issuer)");
        } else {
            LOG.infof("OIDC bearer tokens accepted from %d issuer(s): %s", byIssuer.size(),
                    String.join(", ", issuers.values().stream().map(TrustedIssuer::name).toList()));
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Whether a bearer value has the shape of a compact JWS: three non-empty base64url parts. Cheap, so that API keys
     * and client tokens (told apart by their prefix before this is asked) never pay for OIDC.
     */
    public boolean looksLikeJwt(String token) {
        int length = token.length();
        if (length > config.maxTokenLength()) {
            return false;
        }
        int dots = 0;
        char previous = '.';
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (previous == '.' || ++dots > 2) {
                    return false;
                }
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
            previous = c;
        }
        return dots == 2 && previous != '.';
    }

    /**
     * The caller a valid token stands for; empty when the token is not valid for any reason. Throws when the
     * issuer's keys cannot be fetched, which is not the caller's fault.
     */
    public Optional<Caller> authenticate(String token) {
        if (!config.enabled() || !looksLikeJwt(token)) {
            return Optional.empty();
        }
        JsonNode unverified = payload(token);
        JsonNode iss = unverified == null ? null : unverified.get("iss");
        if (iss == null || !iss.isTextual()) {
            return refuse(Refusal.MALFORMED, null);
        }
        TrustedIssuer issuer = byIssuer.get(iss.textValue());
        if (issuer == null) {
            return refuse(Refusal.UNKNOWN_ISSUER, null);
        }
        try {
            issuer.parser().parse(token);
        } catch (ParseException e) {
            // jose4j's messages quote the claims: only an I/O cause (the keys could not be fetched) is logged.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException io) {
                    LOG.warnf("OIDC issuer %s: its keys could not be fetched: %s", issuer.name(), io.toString());
                    break;
                }
            }
            return refuse(Refusal.INVALID, issuer.name());
        }
        // The payload read above is the one whose signature was just verified.
        var settings = issuer.settings();
        String tenantId;
        if (settings.tenantClaim().isPresent()) {
            tenantId = text(unverified.get(settings.tenantClaim().get()));
            if (tenantId == null) {
                return refuse(Refusal.NO_TENANT, issuer.name());
            }
            if (settings.tenant().isPresent() && !settings.tenant().get().equals(tenantId)) {
                return refuse(Refusal.TENANT_MISMATCH, issuer.name());
            }
        } else {
            tenantId = settings.tenant().get();
        }
        var tenant = tenants.get(tenantId, tenantRepository::find);
        if (tenant.isEmpty()) {
            return refuse(Refusal.UNKNOWN_TENANT, issuer.name());
        }
        String subject = firstText(unverified, "sub", "azp", "client_id");
        return Optional.of(new Caller(tenantId, "oidc:" + issuer.name() + ":" + (subject == null ? "-" : subject),
                scopes(unverified.get(settings.scopeClaim())), tenant.get().defaultBotId(), Caller.Kind.OIDC, null,
                null));
    }

    /** The Parley scopes in a claim: a space-separated string or an array of strings; others are ignored. */
    static Set<String> scopes(JsonNode claim) {
        var scopes = new HashSet<String>();
        if (claim == null) {
            return scopes;
        }
        if (claim.isTextual()) {
            for (String scope : claim.textValue().split(" ")) {
                if (Scopes.ALL.contains(scope)) {
                    scopes.add(scope);
                }
            }
        } else if (claim.isArray()) {
            for (JsonNode value : claim) {
                if (value.isTextual() && Scopes.ALL.contains(value.textValue())) {
                    scopes.add(value.textValue());
                }
            }
        }
        return scopes;
    }

    private JsonNode payload(String token) {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        try {
            JsonNode node = json.readTree(B64.decode(token.substring(first + 1, second)));
            return node != null && node.isObject() ? node : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        String value = node.textValue();
        return value.isBlank() || value.length() > MAX_CLAIM_LENGTH ? null : value;
    }

    private static String firstText(JsonNode claims, String... names) {
        for (String name : names) {
            String value = text(claims.get(name));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static Optional<Caller> refuse(Refusal why, String issuer) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("OIDC token refused: %s%s", why, issuer == null ? "" : " (issuer " + issuer + ")");
        }
        return Optional.empty();
    }

    /** One configured issuer; its parser (and with it the cached JWKS) is made on first use. */
    private final class TrustedIssuer {

        private final String name;
        private final OidcConfig.Issuer settings;
        private volatile DefaultJWTParser parser;

        TrustedIssuer(String name, OidcConfig.Issuer settings) {
            this.name = name;
            this.settings = settings;
        }

        String name() {
            return name;
        }

        OidcConfig.Issuer settings() {
            return settings;
        }

        DefaultJWTParser parser() {
            var made = parser;
            if (made == null) {
                synchronized (this) {
                    made = parser;
                    if (made == null) {
                        made = parser = newParser();
                    }
                }
            }
            return made;
        }

        private DefaultJWTParser newParser() {
            String jwks = settings.jwksUrl().orElseGet(this::discoverJwks);
            var context = new JWTAuthContextInfo(jwks, settings.issuer());
            context.setSignatureAlgorithm(ASYMMETRIC);
            context.setRequireNamedPrincipal(false);
            context.setClockSkew((int) config.clockSkew().toSeconds());
            context.setJwksRefreshInterval((int) Math.max(1, config.jwksRefresh().toMinutes()));
            context.setForcedJwksRefreshInterval(1);
            settings.audience().ifPresent(audience -> context.setExpectedAudience(Set.copyOf(audience)));
            return new DefaultJWTParser(context);
        }

        private String discoverJwks() {
            String url = settings.discovery().orElseThrow();
            if (!url.endsWith(WELL_KNOWN)) {
                url = url.replaceAll("/+$", "") + WELL_KNOWN;
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("OIDC discovery of issuer " + name + " answered " + response.statusCode());
                }
                JsonNode document = json.readTree(response.body());
                String jwks = document.path("jwks_uri").asText("");
                if (jwks.isBlank()) {
                    throw new IllegalStateException("OIDC discovery of issuer " + name + " names no jwks_uri");
                }
                String advertised = document.path("issuer").asText(null);
                if (!settings.issuer().equals(advertised)) {
                    LOG.warnf("OIDC issuer %s: the discovery document says issuer '%s', configured is '%s'", name,
                            advertised, settings.issuer());
                }
                LOG.infof("OIDC issuer %s: keys at %s", name, jwks);
                return jwks;
            } catch (IOException e) {
                throw new IllegalStateException("OIDC discovery of issuer " + name + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during OIDC discovery of issuer " + name, e);
            }
        }
    }
}
