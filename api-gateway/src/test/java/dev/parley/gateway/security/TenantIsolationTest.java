package dev.parley.gateway.security;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.gateway.Tenants;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Tenant globex calls every gateway endpoint with tenant acme's ids: always 404 (or 403 when its credential lacks
 * the scope), never acme's data. The second half walks the OpenAPI document, so endpoints added later are covered.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class TenantIsolationTest {

    @Inject
    Tenants tenants;

    record Call(String method, String path, Object body) {
    }

    @Test
    void anotherTenantsIdsAreAlways404AndNeverData() throws Exception {
        // acme's resources
        var session = as(ADMIN).body(Map.of("userId", "acme-user-7")).post("/v1/sessions").then().statusCode(201)
                .extract().jsonPath();
        String conversation = session.getString("conversationId");
        String sessionId = session.getString("sessionId");
        String keyId = Keys.create(ADMIN, "conversations:read").getString("apiKey.id");
        var secrets = List.of(conversation, sessionId, keyId, "acme-user-7");

        String globexAdmin = tenants.newTenantAdmin("globex-" + UUID.randomUUID().toString().substring(0, 8));
        String globexReader = Keys.secret(globexAdmin, "conversations:read");
        String globexWriter = Keys.secret(globexAdmin, "conversations:write");
        String globexToken = clientTokenOfItsOwn(globexAdmin);

        var calls = List.of(
                new Call("GET", "/v1/conversations/" + conversation, null),
                new Call("GET", "/v1/conversations/" + conversation + "/messages", null),
                new Call("POST", "/v1/messages", Map.of("sessionId", sessionId, "text", "hi")),
                new Call("POST", "/v1/sessions", Map.of("userId", "acme-user-7", "conversationId", conversation)),
                new Call("GET", "/v1/api-keys/" + keyId, null),
                new Call("POST", "/v1/api-keys/" + keyId + "/rotate", Map.of()),
                new Call("DELETE", "/v1/api-keys/" + keyId, null),
                new Call("POST", "/v1/client-tokens", Map.of("conversationId", conversation)));
        for (String credential : List.of(globexAdmin, globexReader, globexWriter, globexToken)) {
            for (var call : calls) {
                var response = send(credential, call);
                int status = response.statusCode();
                assertTrue(status == 404 || status == 403, call + " answered " + status + ": " + response.asString());
                assertEquals("application/problem+json", response.contentType(), call.toString());
                for (String secret : secrets) {
                    // An id the caller sent may be echoed (the problem's instance); nothing else of acme's may appear.
                    boolean sent = call.path().contains(secret) || String.valueOf(call.body()).contains(secret);
                    assertFalse(!sent && response.asString().contains(secret), call + " leaked " + secret);
                }
            }
        }
        // Still there for its owner.
        as(ADMIN).get("/v1/conversations/" + conversation).then().statusCode(200);
        as(ADMIN).get("/v1/api-keys/" + keyId).then().statusCode(200);
    }

    @Test
    void everyDocumentedEndpointWithAnIdRefusesAnotherTenantsIds() throws Exception {
        var session = as(ADMIN).body(Map.of("userId", "acme-user-8")).post("/v1/sessions").then().statusCode(201)
                .extract().jsonPath();
        String conversation = session.getString("conversationId");
        String keyId = Keys.create(ADMIN, "conversations:read").getString("apiKey.id");
        String globexAdmin = tenants.newTenantAdmin("globex-" + UUID.randomUUID().toString().substring(0, 8));

        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().path("paths");
        var tried = new ArrayList<String>();
        for (var entry : paths.entrySet()) {
            String template = entry.getKey();
            if (!template.startsWith("/v1/") || !template.contains("{")) {
                continue;
            }
            // Every id in the path is one of acme's (a conversation id, or a key id for /v1/api-keys).
            String path = template.replaceAll("\\{[^}]+\\}", template.startsWith("/v1/api-keys") ? keyId : conversation);
            for (String method : entry.getValue().keySet()) {
                String verb = method.toUpperCase(java.util.Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(verb)) {
                    continue;
                }
                var response = send(globexAdmin, new Call(verb, path, verb.equals("GET") || verb.equals("DELETE") ? null : Map.of()));
                int status = response.statusCode();
                tried.add(verb + " " + template + " -> " + status);
                assertFalse(status >= 200 && status < 300, verb + " " + path + " answered " + status + ": " + response.asString());
                assertFalse(status == 500, verb + " " + path + " failed: " + response.asString());
                assertFalse(response.asString().contains("acme-user-8"), verb + " " + path + " leaked data");
            }
        }
        assertTrue(tried.size() >= 5, tried.toString());
    }

    private static String clientTokenOfItsOwn(String admin) {
        String conversation = as(admin).body(Map.of("userId", "g-user")).post("/v1/sessions").then().statusCode(201)
                .extract().path("conversationId");
        return as(admin).body(Map.of("conversationId", conversation)).post("/v1/client-tokens").then().statusCode(201)
                .extract().path("token");
    }

    private static Response send(String credential, Call call) {
        var request = as(credential);
        if (call.body() != null) {
            request = request.body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    private static void assertEquals(String expected, String actual, String message) {
        assertTrue(actual != null && actual.startsWith(expected), message + ": content type " + actual);
    }
}
