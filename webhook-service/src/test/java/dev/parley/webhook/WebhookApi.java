package dev.parley.webhook;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Calls of the internal webhook API, as the gateway makes them. */
final class WebhookApi {

    private WebhookApi() {
    }

    static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    static RequestSpecification as(String tenant) {
        return given().contentType("application/json").basePath("/internal/tenants/" + tenant + "/webhooks");
    }

    /** Creates an endpoint; returns the answer (id, secret, ...). */
    static JsonPath create(String tenant, String url, List<String> events) {
        return as(tenant).body(Map.of("url", url, "events", events)).post()
                .then().statusCode(201).extract().jsonPath();
    }
}
