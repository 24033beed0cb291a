package dev.parley.gateway.security;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.gateway.Tenants;
import dev.parley.testsupport.ParleyTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class ApiKeyLifecycleTest {

    @Inject
    ApiKeys apiKeys;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Tenants tenants;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aCreatedKeyIsShownOnceRecognisableAndWorksWithItsScopesOnly() {
        var created = Keys.create(ADMIN, "conversations:read");
        String secret = created.getString("key");
        assertTrue(secret.startsWith("pk_live_"), secret);
        assertTrue(secret.length() >= 50, secret);
        String id = created.getString("apiKey.id");
        assertEquals(secret.substring(0, 12), created.getString("apiKey.prefix"));

        String list = as(ADMIN).get("/v1/api-keys").then().statusCode(200)
                .body("items.id", hasItem(id)).extract().asString();
        assertFalse(list.contains(secret), "the list must never show a secret");
        String one = as(ADMIN).get("/v1/api-keys/" + id).then().statusCode(200)
                .body("status", equalTo("active")).body("scopes", equalTo(List.of("conversations:read")))
                .extract().asString();
        assertFalse(one.contains(secret.substring(12)));

        as(secret).get("/v1/test-probe").then().statusCode(200).body("tenant", equalTo("acme"));
        as(secret).get("/v1/api-keys").then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("forbidden"));
    }

    @Test
    void lastUseIsRecordedInBatchesNotOnEveryRequest() throws Exception {
        var created = Keys.create(ADMIN, "conversations:read");
        String secret = created.getString("key");
        String id = created.getString("apiKey.id");
        for (int i = 0; i < 5; i++) {
            as(secret).get("/v1/test-probe").then().statusCode(200);
        }
        assertNull(storedLastUse(id), "no write per request");
        as(ADMIN).get("/v1/api-keys/" + id).then().body("lastUsedAt", notNullValue());
        apiKeys.flushLastUsed();
        var stored = storedLastUse(id);
        assertTrue(stored != null && Duration.between(stored, Instant.now()).abs().toSeconds() < 30);
    }

    @Test
    void rotationKeepsBothKeysDuringTheGracePeriodThenOnlyTheNewOne() {
        var created = Keys.create(ADMIN, "conversations:read");
        String old = created.getString("key");
        String oldId = created.getString("apiKey.id");
        as(old).get("/v1/test-probe").then().statusCode(200);

        var rotated = as(ADMIN).body(Map.of("gracePeriodSeconds", 3600)).post("/v1/api-keys/" + oldId + "/rotate")
                .then().statusCode(201).body("apiKey.replaces", equalTo(oldId))
                .body("apiKey.scopes", equalTo(List.of("conversations:read")))
                .body("previousKeyExpiresAt", notNullValue()).extract().jsonPath();
        String fresh = rotated.getString("key");
        assertNotEquals(old, fresh);
        as(old).get("/v1/test-probe").then().statusCode(200);
        as(fresh).get("/v1/test-probe").then().statusCode(200);
        var expiry = Instant.parse(as(ADMIN).get("/v1/api-keys/" + oldId).then().extract().path("expiresAt"));
        assertTrue(Duration.between(Instant.now(), expiry).toMinutes() >= 58);

        // A second rotation of the new key with no grace retires it at once.
        String newest = as(ADMIN).body(Map.of("gracePeriodSeconds", 0))
                .post("/v1/api-keys/" + rotated.getString("apiKey.id") + "/rotate").then().statusCode(201)
                .extract().path("key");
        as(fresh).get("/v1/test-probe").then().statusCode(401);
        as(newest).get("/v1/test-probe").then().statusCode(200);
    }

    @Test
    void revocationTakesEffectAtOnceEvenForACachedKey() {
        var created = Keys.create(ADMIN, "conversations:read");
        String secret = created.getString("key");
        as(secret).get("/v1/test-probe").then().statusCode(200);
        as(ADMIN).delete("/v1/api-keys/" + created.getString("apiKey.id")).then().statusCode(200)
                .body("status", equalTo("revoked")).body("revokedAt", notNullValue());
        as(secret).get("/v1/test-probe").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("unauthenticated"));
        as(ADMIN).post("/v1/api-keys/" + created.getString("apiKey.id") + "/rotate").then().statusCode(409);
    }

    @Test
    void anotherReplicasRevocationReachesThisReplicasCacheThroughKafka() throws Exception {
        var created = Keys.create(ADMIN, "conversations:read");
        String secret = created.getString("key");
        String id = created.getString("apiKey.id");
        as(secret).get("/v1/test-probe").then().statusCode(200);
        // Another replica revokes: the row changes, and it broadcasts; this replica only learns by the topic.
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("UPDATE api_keys SET revoked_at = now() WHERE id = ?")) {
            update.setObject(1, UUID.fromString(id));
            update.executeUpdate();
        }
        as(secret).get("/v1/test-probe").then().statusCode(200); // still cached here
        var props = new Properties();
        props.put("bootstrap.servers", kafka);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("parley.gateway.credentials", "acme",
                    "{\"tenantId\":\"acme\",\"keyId\":\"" + id + "\",\"change\":\"revoked\",\"changedAt\":\"" + Instant.now() + "\"}"))
                    .get();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                as(secret).get("/v1/test-probe").statusCode() == 401);
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() {
        String secret = as(ADMIN).body(Map.of("name", "short", "scopes", List.of("conversations:read"),
                "expiresAt", Instant.now().plusSeconds(2).toString()))
                .post("/v1/api-keys").then().statusCode(201).extract().path("key");
        as(secret).get("/v1/test-probe").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                as(secret).get("/v1/test-probe").statusCode() == 401);
        as(ADMIN).body(Map.of("name", "past", "scopes", List.of("admin"), "expiresAt", "2020-01-01T00:00:00Z"))
                .post("/v1/api-keys").then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void badRequestsAreRefusedClearly() {
        as(ADMIN).body(Map.of("name", "x", "scopes", List.of("root"))).post("/v1/api-keys").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("validation_failed"));
        as(ADMIN).body(Map.of("name", "", "scopes", List.of())).post("/v1/api-keys").then().statusCode(400)
                .body("errors.field", hasItem("scopes"));
        as(ADMIN).get("/v1/api-keys/not-a-uuid").then().statusCode(404).body("code", equalTo("not_found"));
        as(ADMIN).body(Map.of("gracePeriodSeconds", -1)).post("/v1/api-keys/" + UUID.randomUUID() + "/rotate")
                .then().statusCode(400);
        as("pk_live_forged0000000000000000000000000000000").get("/v1/test-probe").then().statusCode(401);
        as("eyJhbGciOiJub25lIn0.e30.").get("/v1/test-probe").then().statusCode(401);
        io.restassured.RestAssured.given().get("/v1/test-probe").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void anotherTenantsKeysAreInvisible() throws Exception {
        String otherAdmin = tenants.newTenantAdmin("globex-" + UUID.randomUUID().toString().substring(0, 8));
        String otherId = Keys.create(otherAdmin, "conversations:read").getString("apiKey.id");
        as(ADMIN).get("/v1/api-keys/" + otherId).then().statusCode(404).body("code", equalTo("not_found"));
        as(ADMIN).post("/v1/api-keys/" + otherId + "/rotate").then().statusCode(404);
        as(ADMIN).delete("/v1/api-keys/" + otherId).then().statusCode(404);
        as(ADMIN).get("/v1/api-keys").then().body("items.id", not(hasItem(otherId)));
        as(otherAdmin).get("/v1/api-keys/" + otherId).then().statusCode(200).body("revokedAt", nullValue());
    }

    private Instant storedLastUse(String id) throws Exception {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT last_used_at FROM api_keys WHERE id = ?")) {
            select.setObject(1, UUID.fromString(id));
            var row = select.executeQuery();
            row.next();
            var value = row.getTimestamp(1);
            return value == null ? null : value.toInstant();
        }
    }
}
