package dev.parley.session;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_session"))
class UsersTest {

    static final String TENANT = "tenant-users";

    static String user() {
        return "user-" + UUID.randomUUID();
    }

    static String path(String user) {
        return "/internal/tenants/" + TENANT + "/users/" + user;
    }

    @Test
    void putCreatesThenReplacesAndGetShowsTypedValues() {
        String user = user();
        given().get(path(user)).then().statusCode(404).body("code", equalTo("user_not_found"));

        var attributes = Map.<String, Object> of("plan", "gold", "age", 41, "vip", true, "tags", List.of("a", "b"),
                "address", Map.of("city", "Lyon"));
        given().contentType("application/json").body(Map.of("attributes", attributes)).put(path(user))
                .then().statusCode(201).body("attributes.plan", equalTo("gold"));
        given().get(path(user)).then().statusCode(200)
                .body("userId", equalTo(user))
                .body("attributes.age", equalTo(41))
                .body("attributes.vip", equalTo(true))
                .body("attributes.tags", equalTo(List.of("a", "b")))
                .body("attributes.address.city", equalTo("Lyon"));

        given().contentType("application/json").body(Map.of("attributes", Map.of("plan", "silver"))).put(path(user))
                .then().statusCode(200);
        given().get(path(user)).then().statusCode(200).body("attributes.plan", equalTo("silver"))
                .body("attributes.age", nullValue());
        // Another tenant does not see the user.
        given().get("/internal/tenants/other-tenant/users/" + user).then().statusCode(404);
    }

    @Test
    void patchIsAJsonMergePatch() {
        String user = user();
        given().contentType("application/json")
                .body(Map.of("attributes", Map.of("plan", "gold", "age", 41, "address", Map.of("city", "Lyon", "zip", "69001"))))
                .put(path(user)).then().statusCode(201);
        var patch = new HashMap<String, Object>();
        patch.put("age", null);
        patch.put("plan", "platinum");
        var address = new HashMap<String, Object>();
        address.put("zip", null);
        address.put("street", "Rue X");
        patch.put("address", address);
        given().contentType("application/merge-patch+json").body(Map.of("attributes", patch)).patch(path(user))
                .then().statusCode(200);
        given().get(path(user)).then().statusCode(200)
                .body("attributes.plan", equalTo("platinum"))
                .body("attributes.containsKey('age')", equalTo(false))
                .body("attributes.address", equalTo(Map.of("city", "Lyon", "street", "Rue X")));
    }

    @Test
    void attributesBeyondTheLimitsAreRefusedAndChangeNothing() {
        String user = user();
        given().contentType("application/json").body(Map.of("attributes", Map.of("plan", "gold"))).put(path(user))
                .then().statusCode(201);
        var tooMany = new HashMap<String, Object>();
        for (int i = 0; i < 101; i++) {
            tooMany.put("k" + i, i);
        }
        var cases = List.<Map<String, Object>> of(
                tooMany,
                Map.of("k".repeat(65), 1),
                Map.of("bad key!", 1),
                Map.of("big", "x".repeat(3000)),
                Map.of("deep", Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1))))));
        for (var attributes : cases) {
            given().contentType("application/json").body(Map.of("attributes", attributes)).patch(path(user))
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("validation_failed"));
            given().contentType("application/json").body(Map.of("attributes", attributes)).put(path(user))
                    .then().statusCode(400);
        }
        given().get(path(user)).then().statusCode(200).body("attributes", equalTo(Map.of("plan", "gold")));
    }

    @Test
    void changesAreAnnouncedAsUserUpdated() {
        String user = user();
        try (var events = new Fixtures.Events(Topics.CONVERSATION_EVENTS)) {
            given().contentType("application/json").body(Map.of("attributes", Map.of("plan", "gold"))).put(path(user))
                    .then().statusCode(201);
            var event = events.await("user.updated", e -> user.equals(e.getString("userId")));
            assertEquals(TENANT, event.getString("tenantId"));
            assertEquals("gold", event.getString("attributes.plan"));
            assertEquals(List.of("plan"), event.getList("changed"));
        }
    }

    @Test
    void attributesSentWithAMessageAreMergedIntoTheUser() {
        String user = user();
        var session = Fixtures.openSession(TENANT, user, null);
        given().get(path(user)).then().statusCode(200).body("attributes", equalTo(Map.of()));
        try (var events = new Fixtures.Events(Topics.CONVERSATION_EVENTS)) {
            Fixtures.userMessage(session, TENANT, "hello", Map.of("plan", "gold", "score", 7));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path(user)).then()
                    .statusCode(200).body("attributes.plan", equalTo("gold")).body("attributes.score", equalTo(7)));
            var event = events.await("user.updated", e -> user.equals(e.getString("userId")));
            assertEquals(List.of("plan", "score"), event.getList("changed"));
        }
        // Attributes beyond the limits are ignored, the message is still stored.
        Fixtures.userMessage(session, TENANT, "second", Map.of("big", "x".repeat(5000)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/internal/tenants/" + TENANT + "/conversations/" + session.getString("conversationId"))
                .then().body("conversation.messageCount", equalTo(2)));
        given().get(path(user)).then().body("attributes.keySet()", hasItems("plan", "score"))
                .body("attributes.big", nullValue());
    }
}
