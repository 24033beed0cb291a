package dev.parley.gateway.security;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A browser holds a client token bound to one conversation; the back end holds the API key. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class ClientTokenTest {

    static final String OLD_SIGNING_KEY = "test-client-token-signing-key-one-0123456789";

    String backend;
    String backendKeyId;
    JsonPath alice;
    JsonPath bob;

    @BeforeEach
    void conversations() {
        var created = Keys.create(ADMIN, "conversations:write", "conversations:read");
        backend = created.getString("key");
        backendKeyId = created.getString("apiKey.id");
        alice = as(backend).body(Map.of("userId", "alice")).post("/v1/sessions").then().statusCode(201).extract().jsonPath();
        bob = as(backend).body(Map.of("userId", "bob")).post("/v1/sessions").then().statusCode(201).extract().jsonPath();
    }

    private String tokenFor(JsonPath session) {
        return as(backend).body(Map.of("conversationId", session.getString("conversationId")))
                .post("/v1/client-tokens").then().statusCode(201)
                .body("token", startsWith("pct_")).body("tokenType", equalTo("Bearer"))
                .body("userId", equalTo(session.getString("userId"))).extract().path("token");
    }

    @Test
    void aClientTokenReachesItsConversationOnly() {
        String token = tokenFor(alice);
        String mine = alice.getString("conversationId");
        String theirs = bob.getString("conversationId");

        as(token).get("/v1/conversations/" + mine).then().statusCode(200).body("userId", equalTo("alice"));
        as(token).get("/v1/conversations/" + mine + "/messages").then().statusCode(200);
        as(token).body(Map.of("userId", "alice")).post("/v1/sessions").then().statusCode(201)
                .body("conversationId", equalTo(mine));
        as(token).body(Map.of("sessionId", alice.getString("sessionId"), "text", "hello")).post("/v1/messages")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(202)));

        as(token).get("/v1/conversations/" + theirs).then().statusCode(404).body("code", equalTo("conversation_not_found"));
        as(token).get("/v1/conversations/" + theirs + "/messages").then().statusCode(404);
        as(token).body(Map.of("sessionId", bob.getString("sessionId"), "text", "hi")).post("/v1/messages")
                .then().statusCode(404).body("code", equalTo("session_not_found"));
        as(token).body(Map.of("userId", "alice", "conversationId", theirs)).post("/v1/sessions").then().statusCode(404);
        as(token).body(Map.of("userId", "bob")).post("/v1/sessions").then().statusCode(403);

        as(token).get("/v1/api-keys").then().statusCode(403).body("code", equalTo("forbidden"));
        as(token).body(Map.of("name", "x", "scopes", java.util.List.of("admin"))).post("/v1/api-keys").then().statusCode(403);
        as(token).body(Map.of("conversationId", mine)).post("/v1/client-tokens").then().statusCode(403);
        as(token).get("/v1/test-probe").then().statusCode(403);
    }

    @Test
    void refreshGivesANewTokenUntilTheIssuingKeyIsRevoked() {
        String token = tokenFor(alice);
        String fresh = as(token).post("/v1/client-tokens/refresh").then().statusCode(201)
                .body("conversationId", equalTo(alice.getString("conversationId"))).extract().path("token");
        assertNotEquals(token, fresh);
        as(fresh).get("/v1/conversations/" + alice.getString("conversationId")).then().statusCode(200);
        as(backend).post("/v1/client-tokens/refresh").then().statusCode(403);

        as(ADMIN).delete("/v1/api-keys/" + backendKeyId).then().statusCode(200);
        as(fresh).post("/v1/client-tokens/refresh").then().statusCode(401);
    }

    @Test
    void forgedExpiredAndForeignTokensAreRefused() throws Exception {
        String conversation = alice.getString("conversationId");
        long now = Instant.now().getEpochSecond();
        // Signed with the retired (but still configured) key k1: accepted, so signing keys rotate without downtime.
        String retiredButValid = sign("k1", OLD_SIGNING_KEY, "acme", conversation, now + 600);
        as(retiredButValid).get("/v1/conversations/" + conversation).then().statusCode(200);
        as(sign("k1", OLD_SIGNING_KEY, "acme", conversation, now - 1)).get("/v1/conversations/" + conversation)
                .then().statusCode(401);
        as(sign("k9", OLD_SIGNING_KEY, "acme", conversation, now + 600)).get("/v1/conversations/" + conversation)
                .then().statusCode(401);
        as(sign("k1", "an-attackers-own-signing-key-0123456789", "acme", conversation, now + 600))
                .get("/v1/conversations/" + conversation).then().statusCode(401);
        String genuine = tokenFor(alice);
        String[] parts = genuine.substring(4).split("\\.");
        String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(conversation,
                        bob.getString("conversationId")).getBytes(StandardCharsets.UTF_8));
        as("pct_" + parts[0] + "." + otherClaims + "." + parts[2]).get("/v1/conversations/" + bob.getString("conversationId"))
                .then().statusCode(401);
        as("pct_" + parts[0] + "." + parts[1] + ".").get("/v1/conversations/" + conversation).then().statusCode(401);
        as("pct_not-a-token").get("/v1/conversations/" + conversation).then().statusCode(401);

        as(backend).body(Map.of("conversationId", "no-such-conversation")).post("/v1/client-tokens").then()
                .statusCode(404);
        var expiresAt = Instant.parse(as(backend).body(Map.of("conversationId", conversation))
                .post("/v1/client-tokens").then().extract().<String> path("expiresAt"));
        assertTrue(Duration.between(Instant.now(), expiresAt).toMinutes() <= 15);
    }

    static String sign(String kid, String secret, String tenant, String conversation, long exp) throws Exception {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String claims = encoder.encodeToString(("{\"iss\":\"parley\",\"sub\":\"alice\",\"jti\":\"t1\",\"tid\":\"" + tenant
                + "\",\"cid\":\"" + conversation + "\",\"iat\":" + (exp - 900) + ",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "pct_" + header + "." + claims + "."
                + encoder.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
    }
}
