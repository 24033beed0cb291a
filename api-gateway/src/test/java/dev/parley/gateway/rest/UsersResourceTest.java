package dev.parley.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.security.ApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = FakeSessionService.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "parley_gateway"))
class UsersResourceTest {

    static final String READ_ONLY_KEY = "pk_test_gateway_readonly_key_0123456789";

    @Inject
    ApiKeyRepository keys;
    @Inject
    ApiKeys apiKeys;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + FakeSessionService.ADMIN_KEY).contentType("application/json");
    }

    @Test
    void userCallsGoToTheCallersTenant() {
        admin().get("/v1/users/alice").then().statusCode(200)
                .body("path", equalTo("/internal/tenants/" + FakeSessionService.TENANT + "/users/alice"));
        admin().body(Map.of("attributes", Map.of("plan", "gold"))).put("/v1/users/alice").then().statusCode(201)
                .body("attributes.plan", equalTo("gold"));
        admin().contentType("application/merge-patch+json").body(Map.of("attributes", Map.of("plan", "silver")))
                .patch("/v1/users/alice").then().statusCode(200);
        assertTrue(FakeSessionService.requests.contains("PATCH /internal/tenants/" + FakeSessionService.TENANT
                + "/users/alice {\"attributes\":{\"plan\":\"silver\"}}"), FakeSessionService.requests.toString());
        admin().delete("/v1/users/alice").then().statusCode(202).body("erasureId", equalTo("e-1"))
                .header("Location", "/v1/users/alice/erasures/e-1");
        admin().get("/v1/users/ghost").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("user_not_found"));
        admin().get("/v1/conversations?status=closed&limit=5").then().statusCode(200);
        assertTrue(FakeSessionService.requests.stream().anyMatch(r -> r.startsWith("GET /internal/tenants/"
                + FakeSessionService.TENANT + "/conversations?") && r.contains("status=closed")));
        admin().body(Map.of("outcome", "resolved")).post("/v1/conversations/c-1/close").then().statusCode(200)
                .body("path", equalTo("/internal/tenants/" + FakeSessionService.TENANT + "/conversations/c-1/close"));
    }

    @Test
    void attributesBeyondTheLimitsAreRefusedBeforeReachingTheService() {
        int before = FakeSessionService.requests.size();
        var tooMany = new HashMap<String, Object>();
        for (int i = 0; i < 101; i++) {
            tooMany.put("k" + i, i);
        }
        admin().body(Map.of("attributes", tooMany)).put("/v1/users/bob").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("validation_failed"));
        admin().body(Map.of("attributes", Map.of("deep", Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1)))))))
                .patch("/v1/users/bob").then().statusCode(400);
        admin().body(Map.of("attributes", Map.of("big", "x".repeat(3000)))).put("/v1/users/bob").then()
                .statusCode(400);
        admin().body(Map.of("sessionId", "s", "text", "hi", "attributes", Map.of("k".repeat(65), 1)))
                .post("/v1/messages").then().statusCode(400).body("code", equalTo("validation_failed"));
        admin().get("/v1/users/bad%20id").then().statusCode(400);
        assertEquals(before, FakeSessionService.requests.size(), "nothing was forwarded");
    }

    @Test
    void scopesAreEnforced() throws Exception {
        keys.ensure(FakeSessionService.TENANT, null, "read-only", ApiKeys.displayPrefix(READ_ONLY_KEY),
                apiKeys.hash(READ_ONLY_KEY), Set.of("conversations:read"));
        var readOnly = given().header("Authorization", "Bearer " + READ_ONLY_KEY).contentType("application/json");
        readOnly.get("/v1/users/alice").then().statusCode(403).body("code", equalTo("forbidden"));
        given().header("Authorization", "Bearer " + READ_ONLY_KEY).delete("/v1/users/alice").then().statusCode(403);
        given().header("Authorization", "Bearer " + READ_ONLY_KEY).get("/v1/users/alice/export").then().statusCode(403);
        given().header("Authorization", "Bearer " + READ_ONLY_KEY).contentType("application/json").body("{}").post("/v1/conversations/c/close").then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + READ_ONLY_KEY).get("/v1/conversations").then().statusCode(200);
        given().get("/v1/users/alice").then().statusCode(401);
    }

    /**
     * The fake session-service sends half of an export and then waits until the client has received bytes: a
     * gateway that buffered the body would never pass the first half on, and the client would see nothing until
     * the fake gave up waiting.
     */
    @Test
    void exportsStreamThroughTheGatewayWithoutBuffering() throws Exception {
        for (String path : new String[] { "/v1/users/alice/export", "/v1/analytics/messages?format=ndjson" }) {
            FakeSessionService.releaseSecondHalf = new CountDownLatch(1);
            FakeSessionService.secondHalfSent.set(false);
            var client = HttpClient.newHttpClient();
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + FakeSessionService.ADMIN_KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (InputStream body = response.body()) {
                byte[] first = body.readNBytes(64 * 1024);
                assertEquals(64 * 1024, first.length);
                assertFalse(FakeSessionService.secondHalfSent.get(),
                        "bytes reached the client while the service was still producing: " + path);
                FakeSessionService.releaseSecondHalf.countDown();
                long rest = body.transferTo(java.io.OutputStream.nullOutputStream());
                assertEquals(2L * FakeSessionService.CHUNK, first.length + rest);
            }
        }
    }
}
