package dev.parley.webhook;

import static dev.parley.webhook.WebhookApi.as;
import static dev.parley.webhook.WebhookApi.create;
import static dev.parley.webhook.WebhookApi.tenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Managing endpoints through the internal API: what an integrator does through /v1/webhooks. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook"))
class SubscriptionApiTest {

    @Test
    void createShowsTheSecretOnceAndListGetUpdateDeleteWork() {
        String tenant = tenant();
        var created = create(tenant, "http://127.0.0.1:9/hook", List.of("message.*", "conversation.started"));
        String id = created.getString("id");
        assertTrue(created.getString("secret").startsWith("whsec_"), created.getString("secret"));
        assertTrue(created.getBoolean("enabled"));

        as(tenant).get("/" + id).then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/hook"))
                .body("events", equalTo(List.of("message.*", "conversation.started")))
                .body("$", not(hasKey("secret")));
        as(tenant).get().then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(id))
                .body("items[0]", not(hasKey("secret")));

        as(tenant).body(Map.of("events", List.of("*"), "description", "CRM")).patch("/" + id)
                .then().statusCode(200).body("events", equalTo(List.of("*"))).body("description", equalTo("CRM"))
                .body("url", equalTo("http://127.0.0.1:9/hook"));

        as(tenant).post("/" + id + "/disable").then().statusCode(200).body("enabled", equalTo(false))
                .body("disabledReason", equalTo("disabled through the API"));
        as(tenant).post("/" + id + "/enable").then().statusCode(200).body("enabled", equalTo(true))
                .body("disabledReason", nullValue());

        as(tenant).delete("/" + id).then().statusCode(204);
        as(tenant).get("/" + id).then().statusCode(404).body("code", equalTo("webhook_not_found"));
    }

    @Test
    void anotherTenantsEndpointIsNotFound() {
        String id = create(tenant(), "http://127.0.0.1:9/hook", List.of("*")).getString("id");
        String other = tenant();
        as(other).get("/" + id).then().statusCode(404);
        as(other).delete("/" + id).then().statusCode(404);
        as(other).body(Map.of("events", List.of("*"))).patch("/" + id).then().statusCode(404);
        as(other).post("/" + id + "/rotate-secret").then().statusCode(404);
        as(other).get("/" + id + "/deliveries").then().statusCode(404);
        as(other).get().then().statusCode(200).body("items", hasSize(0));
        as(other).get("/not-a-uuid").then().statusCode(404);
    }

    @Test
    void rotationReturnsANewSecretAndAGraceWindow() {
        String tenant = tenant();
        var created = create(tenant, "http://127.0.0.1:9/hook", List.of("*"));
        var rotated = as(tenant).body(Map.of("gracePeriodSeconds", 3600)).post("/" + created.getString("id") + "/rotate-secret")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(rotated.getString("secret").startsWith("whsec_"));
        assertTrue(!rotated.getString("secret").equals(created.getString("secret")));
        as(tenant).get("/" + created.getString("id")).then().statusCode(200)
                .body("previousSecretExpiresAt", equalTo(rotated.getString("previousSecretExpiresAt")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://example.com/hook", "not a url", "http://user:pw@127.0.0.1/hook",
            "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/hook",
            "http://192.168.1.10/hook", "http://[::1]:8080/hook", "http://[fe80::1]/hook", "http://0.0.0.0/hook",
            "http://224.0.0.1/hook", "http://[::ffff:10.0.0.1]/hook" })
    void refusedUrlsAreAClear400(String url) {
        as(tenant()).body(Map.of("url", url, "events", List.of("*"))).post()
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation_failed")).body("detail", containsString("url"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "message.", "Message.Sent", "*.sent", "message.*.x", "" })
    void badEventFiltersAreRefused(String filter) {
        as(tenant()).body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of(filter))).post()
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void missingFieldsAreRefused() {
        as(tenant()).body(Map.of("url", "http://127.0.0.1:9/hook")).post().then().statusCode(400);
        as(tenant()).body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of())).post().then().statusCode(400);
        as(tenant()).body("{").post().then().statusCode(400).body("code", equalTo("malformed_json"));
    }
}
