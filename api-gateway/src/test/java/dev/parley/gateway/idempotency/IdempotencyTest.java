package dev.parley.gateway.idempotency;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.gateway.ProbeResource;
import dev.parley.gateway.repository.IdempotencyRepository;
import dev.parley.testsupport.ParleyTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Idempotency-Key on a POST endpoint the gateway's filters were never told about. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class IdempotencyTest {

    @Inject
    IdempotencyRepository records;
    @Inject
    IdempotencyFilter filter;
    @Inject
    AgroalDataSource dataSource;

    private static Response post(String key, Object body) {
        return as(ADMIN).header("Idempotency-Key", key).body(body).post("/v1/test-probe");
    }

    @Test
    void aRetryReplaysTheFirstResultAndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        int before = ProbeResource.EFFECTS.get();
        var first = post(key, Map.of("name", "order-1"));
        first.then().statusCode(201);
        assertNull(first.header("Idempotent-Replayed"));
        var retry = post(key, Map.of("name", "order-1"));
        retry.then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location")).contentType("application/json");
        assertEquals(first.asString(), retry.asString());
        assertEquals(before + 1, ProbeResource.EFFECTS.get());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        post(key, Map.of("name", "a")).then().statusCode(201);
        int before = ProbeResource.EFFECTS.get();
        post(key, Map.of("name", "b")).then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused"));
        // The same key from another credential of the tenant is another request too.
        as(Keys.secret(ADMIN, "admin")).header("Idempotency-Key", key).body(Map.of("name", "a"))
                .post("/v1/test-probe").then().statusCode(422);
        assertEquals(before, ProbeResource.EFFECTS.get());
    }

    @Test
    void concurrentDuplicatesHaveOneEffect() throws Exception {
        String key = UUID.randomUUID().toString();
        int before = ProbeResource.EFFECTS.get();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var calls = new ArrayList<Callable<Response>>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> post(key, Map.of("name", "slow", "sleepMillis", 800)));
            }
            List<Integer> statuses = new ArrayList<>();
            int originals = 0;
            for (var future : pool.invokeAll(calls)) {
                var response = future.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 201 && response.header("Idempotent-Replayed") == null) {
                    originals++;
                }
                if (response.statusCode() == 409) {
                    assertEquals("1", response.header("Retry-After"));
                    assertEquals("idempotency_in_flight", response.jsonPath().getString("code"));
                }
            }
            assertEquals(1, originals, statuses.toString());
            assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 1, ProbeResource.EFFECTS.get());
        post(key, Map.of("name", "slow", "sleepMillis", 800)).then().statusCode(201)
                .header("Idempotent-Replayed", "true");
        assertEquals(before + 1, ProbeResource.EFFECTS.get());
    }

    @Test
    void aServerFailureIsNotKeptSoTheRetryRuns() {
        String key = UUID.randomUUID().toString();
        post(key, Map.of("name", "x", "fail", true)).then().statusCode(500);
        int before = ProbeResource.EFFECTS.get();
        post(key, Map.of("name", "x", "fail", true)).then().statusCode(500);
        assertEquals(before, ProbeResource.EFFECTS.get());
        var fine = UUID.randomUUID().toString();
        post(fine, Map.of("name", "ok")).then().statusCode(201);
        assertEquals(before + 1, ProbeResource.EFFECTS.get());
    }

    @Test
    void aCreatedApiKeyIsReplayedButNotStoredInClear() throws Exception {
        String key = UUID.randomUUID().toString();
        var body = Map.of("name", "replayed", "scopes", List.of("conversations:read"));
        var first = as(ADMIN).header("Idempotency-Key", key).body(body).post("/v1/api-keys");
        first.then().statusCode(201);
        var retry = as(ADMIN).header("Idempotency-Key", key).body(body).post("/v1/api-keys");
        retry.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.jsonPath().getString("key"), retry.jsonPath().getString("key"));
        String secret = first.jsonPath().getString("key");
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT body FROM idempotency_records WHERE idempotency_key = ?")) {
            select.setString(1, key);
            var row = select.executeQuery();
            assertTrue(row.next());
            assertFalse(new String(row.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret));
        }
    }

    @Test
    void malformedKeysAreRefusedAndExpiredRecordsPurged() throws Exception {
        post("x".repeat(300), Map.of("name", "n")).then().statusCode(400).body("code", equalTo("validation_failed"));
        String key = UUID.randomUUID().toString();
        post(key, Map.of("name", "old")).then().statusCode(201);
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement(
                        "UPDATE idempotency_records SET expires_at = now() - interval '1 hour' WHERE idempotency_key = ?")) {
            update.setString(1, key);
            assertEquals(1, update.executeUpdate());
        }
        filter.purge();
        assertTrue(records.find(Keys.TENANT, key).isEmpty());
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT count(*) FROM idempotency_records WHERE expires_at < now()")) {
            var row = select.executeQuery();
            row.next();
            assertEquals(0, row.getInt(1));
        }
        int before = ProbeResource.EFFECTS.get();
        post(key, Map.of("name", "old")).then().statusCode(201);
        assertEquals(before + 1, ProbeResource.EFFECTS.get(), "after expiry the key is new again");
    }
}
