package dev.parley.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** {@code ordering} on POST/PATCH /v1/webhooks reaches webhook-service as given; unknown values stop at the gateway. */
@QuarkusTest
@QuarkusTestResource(value = FakeWebhookService.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "parley_gateway"))
class WebhooksOrderingTest {

    static final String URL = "https://crm.example.com/hooks";

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + FakeWebhookService.ADMIN_KEY).contentType("application/json");
    }

    static String last() {
        var requests = FakeWebhookService.requests;
        return requests.get(requests.size() - 1);
    }

    @Test
    void orderingIsPassedThroughOnCreateAndUpdate() {
        String base = "/internal/tenants/" + FakeWebhookService.TENANT + "/webhooks";
        admin().body(Map.of("url", URL, "events", List.of("*"), "ordering", "conversation")).post("/v1/webhooks")
                .then().statusCode(201).body("ordering", equalTo("conversation")).body("id", equalTo("wh-1"));
        assertTrue(last().startsWith("POST " + base + " "), last());
        assertTrue(last().contains("\"ordering\":\"conversation\""), last());

        admin().body(Map.of("url", URL, "events", List.of("*"))).post("/v1/webhooks")
                .then().statusCode(201).body("ordering", equalTo("none"));
        assertTrue(!last().contains("ordering"), "absent stays absent (webhook-service applies the default): " + last());

        admin().body(Map.of("ordering", "none")).patch("/v1/webhooks/wh-1").then().statusCode(200)
                .body("ordering", equalTo("none"));
        assertEquals("PATCH " + base + "/wh-1 {\"ordering\":\"none\"}", last());
    }

    @Test
    void unknownOrderingIsRefusedWithoutReachingWebhookService() {
        int before = FakeWebhookService.requests.size();
        admin().body(Map.of("url", URL, "events", List.of("*"), "ordering", "fifo")).post("/v1/webhooks")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        admin().body(Map.of("ordering", "CONVERSATION")).patch("/v1/webhooks/wh-1")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        admin().body(Map.of("ordering", "")).patch("/v1/webhooks/wh-1")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        assertEquals(before, FakeWebhookService.requests.size());
    }
}
