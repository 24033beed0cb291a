package dev.parley.gateway;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Credentials for gateway tests: the bootstrap admin key of tenant acme, and keys made through the API. */
public final class Keys {

    public static final String TENANT = "acme";
    public static final String ADMIN = "pk_test_acme_bootstrap_admin_key_0001";

    private Keys() {
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json");
    }

    /** A new key of the given admin's tenant: its secret and its view. */
    public static JsonPath create(String adminKey, String... scopes) {
        return as(adminKey).body(Map.of("name", "test-" + UUID.randomUUID(), "scopes", List.of(scopes)))
                .post("/v1/api-keys").then().statusCode(201).extract().jsonPath();
    }

    public static String secret(String adminKey, String... scopes) {
        return create(adminKey, scopes).getString("key");
    }
}
