package dev.parley.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * OIDC bearer tokens from any standard provider, one issuer per entry of {@code parley.security.oidc.issuers.<name>}.
 * Off by default: with {@code enabled=false} the gateway treats a JWT like any other unknown credential.
 */
@ConfigMapping(prefix = "parley.security.oidc")
public interface OidcConfig {

    @WithDefault("false")
    boolean enabled();

    /** Trusted issuers by a name of the operator's choosing (it appears in logs and audit records). */
    Map<String, Issuer> issuers();

    /** Leeway for the token's exp, iat and nbf against this machine's clock. */
    @WithDefault("30S")
    Duration clockSkew();

    /** How often an issuer's JWKS is fetched again; an unknown key id (kid) also refreshes it, at most once a minute. */
    @WithDefault("10M")
    Duration jwksRefresh();

    /** How long a tenant found (or missing) in the database is remembered. */
    @WithDefault("30S")
    Duration tenantCacheFor();

    /** A longer bearer value is refused before any parsing. */
    @WithDefault("8192")
    int maxTokenLength();

    interface Issuer {
        /** The exact {@code iss} of the tokens, e.g. {@code https://login.example.com/realms/parley}. */
        String issuer();

        /**
         * The tenant every token of this issuer acts for (an IdP of one customer). With a tenant-claim too, the claim
         * must name this tenant.
         */
        Optional<String> tenant();

        /** The claim that names the tenant (an IdP shared by several tenants), e.g. {@code parley_tenant}. */
        Optional<String> tenantClaim();

        /** The issuer's JWKS; without it the JWKS is found through the discovery document. */
        Optional<String> jwksUrl();

        /**
         * The discovery document, or the issuer URL it hangs off ({@code .well-known/openid-configuration} is added);
         * used when no jwks-url is set.
         */
        Optional<String> discovery();

        /** Accepted audiences: the token's {@code aud} must contain one of them. Strongly recommended. */
        Optional<List<String>> audience();

        /**
         * The claim with the Parley scopes: a space-separated string ({@code scope}) or an array ({@code scp}, or a
         * custom claim). Values that are not Parley scopes are ignored.
         */
        @WithDefault("scope")
        String scopeClaim();
    }
}
