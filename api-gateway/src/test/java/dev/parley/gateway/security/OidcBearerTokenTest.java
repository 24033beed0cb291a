package dev.parley.gateway.security;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Tenants;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * OIDC access tokens from a mock provider (WireMock serving discovery and JWKS, tokens signed with its key), with
 * three issuers: one shared by tenants (tenant from a claim, scopes a space-separated {@code scope}), one fixed to
 * acme that also requires its tenant claim to match, and one fixed to globex (scopes an {@code scp} array).
 */
@QuarkusTest
@TestProfile(OidcBearerTokenTest.Oidc.class)
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = true)
class OidcBearerTokenTest {

    static final String SHARED = "https://server.example.com";
    static final String ACME_IDP = "https://acme-idp.example.com";
    static final String GLOBEX_IDP = "https://globex-idp.example.com";
    static final String GLOBEX = "oidc-globex";
    static final String AUDIENCE = "parley-api";

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String realm = "${keycloak.url}/realms/quarkus";
            return Map.ofEntries(
                    Map.entry("parley.security.oidc.enabled", "true"),
                    Map.entry("quarkus.log.category.\"dev.parley.gateway.security.OidcTokens\".level", "DEBUG"),
                    Map.entry("parley.security.oidc.issuers.shared.issuer", SHARED),
                    Map.entry("parley.security.oidc.issuers.shared.discovery", realm),
                    Map.entry("parley.security.oidc.issuers.shared.audience", AUDIENCE),
                    Map.entry("parley.security.oidc.issuers.shared.tenant-claim", "parley_tenant"),
                    Map.entry("parley.security.oidc.issuers.acme.issuer", ACME_IDP),
                    Map.entry("parley.security.oidc.issuers.acme.jwks-url", realm + "/protocol/openid-connect/certs"),
                    Map.entry("parley.security.oidc.issuers.acme.audience", AUDIENCE),
                    Map.entry("parley.security.oidc.issuers.acme.tenant", "acme"),
                    Map.entry("parley.security.oidc.issuers.acme.tenant-claim", "parley_tenant"),
                    Map.entry("parley.security.oidc.issuers.globex.issuer", GLOBEX_IDP),
                    Map.entry("parley.security.oidc.issuers.globex.jwks-url", realm + "/protocol/openid-connect/certs"),
                    Map.entry("parley.security.oidc.issuers.globex.audience", AUDIENCE),
                    Map.entry("parley.security.oidc.issuers.globex.tenant", GLOBEX),
                    Map.entry("parley.security.oidc.issuers.globex.scope-claim", "scp"));
        }
    }

    @Inject
    Tenants tenants;

    @BeforeEach
    void globexExists() throws Exception {
        tenants.newTenantAdmin(GLOBEX);
    }

    private static JwtClaimsBuilder token(String issuer, String tenant, String scope) {
        var builder = Jwt.issuer(issuer).subject("svc-" + tenant).audience(AUDIENCE).issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300));
        if (tenant != null) {
            builder.claim("parley_tenant", tenant);
        }
        if (scope != null) {
            builder.claim("scope", scope);
        }
        return builder;
    }

    private static String sessionOf(String credential, String userId) {
        return as(credential).body(Map.of("userId", userId)).post("/v1/sessions").then().statusCode(201)
                .extract().path("conversationId");
    }

    private static void unauthenticated(String token) {
        Response response = as(token).get("/v1/api-keys");
        response.then().statusCode(401).contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", "Bearer").body("code", equalTo("unauthenticated"));
        String body = response.asString();
        assertFalse(body.contains(token) || body.contains("svc-") || body.contains("parley_tenant"), body);
    }

    @Test
    void aValidTokenWithTheScopeIsAccepted() {
        String token = token(SHARED, "acme", "openid profile conversations:write conversations:read").sign();
        String conversation = sessionOf(token, "oidc-user-1");
        as(token).get("/v1/conversations/" + conversation).then().statusCode(200)
                .body("conversationId", equalTo(conversation));
        // The tenant came from the claim: acme's API key sees the conversation.
        as(ADMIN).get("/v1/conversations/" + conversation).then().statusCode(200);
    }

    @Test
    void aFixedTenantIssuerReadsScopesFromAnArrayClaim() {
        String token = Jwt.issuer(GLOBEX_IDP).subject("svc-globex").audience(AUDIENCE)
                .claim("scp", List.of("conversations:write", "conversations:read", "not-a-parley-scope"))
                .expiresAt(Instant.now().plusSeconds(300)).sign();
        String conversation = sessionOf(token, "globex-user");
        as(token).get("/v1/conversations/" + conversation).then().statusCode(200);
        // It belongs to globex, not acme.
        as(ADMIN).get("/v1/conversations/" + conversation).then().statusCode(404);
    }

    @Test
    void aMissingScopeIs403LikeForAnApiKey() {
        String reader = token(SHARED, "acme", "conversations:read").sign();
        as(reader).body(Map.of("userId", "oidc-user-2")).post("/v1/sessions").then().statusCode(403)
                .contentType(startsWith("application/problem+json")).body("code", equalTo("forbidden"));
        as(reader).get("/v1/api-keys").then().statusCode(403).body("code", equalTo("forbidden"));
        // No Parley scope at all: authenticated, allowed nothing.
        String none = token(SHARED, "acme", "openid email").sign();
        as(none).get("/v1/api-keys").then().statusCode(403).body("code", equalTo("forbidden"));
        // admin implies every scope, as for API keys.
        as(token(SHARED, "acme", "admin").sign()).get("/v1/api-keys").then().statusCode(200);
    }

    @Test
    void anExpiredTokenIs401() {
        unauthenticated(token(SHARED, "acme", "admin").issuedAt(Instant.now().minusSeconds(900))
                .expiresAt(Instant.now().minusSeconds(300)).sign());
    }

    @Test
    void anUnknownIssuerIs401() {
        unauthenticated(token("https://evil.example.com", "acme", "admin").sign());
    }

    @Test
    void aForgedSignatureIs401() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var foreignKey = generator.generateKeyPair().getPrivate();
        unauthenticated(token(SHARED, "acme", "admin").jws().keyId("1").sign(foreignKey));
        // Same claims, unsigned (alg none), and with the payload altered after signing.
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + SHARED + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"svc-x\",\"parley_tenant\":\"acme\","
                        + "\"scope\":\"admin\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}").getBytes());
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        assertEquals(401, as(none + "." + b64 + ".").get("/v1/api-keys").statusCode());
        String genuine = token(SHARED, "acme", "conversations:read").sign();
        String[] parts = genuine.split("\\.");
        unauthenticated(parts[0] + "." + b64 + "." + parts[2]);
    }

    @Test
    void aWrongAudienceIs401() {
        unauthenticated(Jwt.issuer(SHARED).subject("svc-acme").audience("another-api").claim("parley_tenant", "acme")
                .claim("scope", "admin").expiresAt(Instant.now().plusSeconds(300)).sign());
    }

    @Test
    void aTenantThatDoesNotMatchOrDoesNotExistIs401() {
        // The acme issuer only speaks for acme.
        unauthenticated(token(ACME_IDP, GLOBEX, "admin").sign());
        unauthenticated(token(ACME_IDP, null, "admin").sign());
        as(token(ACME_IDP, "acme", "admin").sign()).get("/v1/api-keys").then().statusCode(200);
        // The shared issuer names a tenant that does not exist, or none.
        unauthenticated(token(SHARED, "no-such-tenant", "admin").sign());
        unauthenticated(token(SHARED, null, "admin").sign());
    }

    @Test
    void anotherTenantsIdsAre404() {
        String globex = Jwt.issuer(GLOBEX_IDP).subject("svc-globex").audience(AUDIENCE)
                .claim("scp", List.of("admin")).expiresAt(Instant.now().plusSeconds(300)).sign();
        String globexConversation = sessionOf(globex, "globex-user-2");
        String acme = token(SHARED, "acme", "conversations:write conversations:read").sign();
        as(acme).get("/v1/conversations/" + globexConversation).then().statusCode(404);
        as(acme).get("/v1/conversations/" + globexConversation + "/messages").then().statusCode(404);
        as(acme).body(Map.of("userId", "globex-user-2", "conversationId", globexConversation)).post("/v1/sessions")
                .then().statusCode(404);
        as(globex).get("/v1/conversations/" + globexConversation).then().statusCode(200);
    }

    @Test
    void noTokenContentIsLoggedWhenTokensAreRefusedOrAccepted() {
        var capture = new NoSecretsLeakTest.Capture();
        var root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        var tokens = new java.util.ArrayList<String>();
        try {
            tokens.add(token(SHARED, "acme", "admin").issuedAt(Instant.now().minusSeconds(900))
                    .expiresAt(Instant.now().minusSeconds(300)).sign());
            tokens.add(token(SHARED, "no-such-tenant", "admin").sign());
            tokens.add(token(ACME_IDP, GLOBEX, "admin").sign());
            tokens.add(token("https://evil.example.com", "acme", "admin").sign());
            for (String token : tokens) {
                as(token).get("/v1/api-keys").then().statusCode(401);
            }
            String accepted = token(SHARED, "acme", "admin").sign();
            tokens.add(accepted);
            as(accepted).get("/v1/api-keys").then().statusCode(200);
        } finally {
            root.removeHandler(capture);
        }
        var lines = List.copyOf(capture.lines);
        // The refusals were logged (at debug, with the reason), so the capture works...
        assertTrue(lines.stream().anyMatch(line -> line.contains("OIDC token refused")), lines.toString());
        // ...and no line holds a token's payload, signature, subject or tenant claim.
        for (String token : tokens) {
            String[] parts = token.split("\\.");
            for (String line : lines) {
                assertFalse(line.contains(parts[1].substring(0, 24)) || line.contains(parts[2].substring(0, 24))
                        || line.contains("svc-acme") || line.contains("no-such-tenant"), "token content logged: " + line);
            }
        }
    }

    @Test
    void apiKeysAndOtherCredentialsKeepWorking() {
        as(ADMIN).get("/v1/api-keys").then().statusCode(200);
        unauthenticated("pk_live_not_a_key");
        unauthenticated("not.a.jwt");
        unauthenticated("a.b");
    }
}
