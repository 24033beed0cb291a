package dev.parley.dialogue.llm.credentials;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.dialogue.llm.BotModels;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.ModelEndpoint;
import dev.parley.dialogue.llm.ResponseGenerator;
import dev.parley.dialogue.llm.Task;
import dev.parley.dialogue.llm.WireServer;
import dev.parley.dialogue.llm.WireServer.Reply;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.http.ContentType;

/** Provider keys through the internal API, encrypted in the real database, used by the response generator. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
class ProviderCredentialsTest {

    static final String PATH = "/internal/tenants/{tenant}/provider-credentials/{name}";

    @Inject
    ProviderCredentialStore store;
    @Inject
    ResponseGenerator generator;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry metrics;

    static void put(String tenant, String name, String body) {
        given().contentType(ContentType.JSON).body(body).put(PATH, tenant, name).then().statusCode(204);
    }

    @Test
    void aKeyIsStoredEncryptedNeverReturnedAndUsedForTheTenantsCalls() throws Exception {
        put("acme", "openai-prod", "{\"provider\":\"openai\",\"apiKey\":\"sk-live-first\"}");

        given().get("/internal/tenants/acme/provider-credentials").then().statusCode(200)
                .body("credentials", hasSize(1))
                .body("credentials[0].name", equalTo("openai-prod"))
                .body("credentials[0].provider", equalTo("openai"))
                .body(not(containsString("sk-live")));
        given().get("/internal/tenants/globex/provider-credentials").then().statusCode(200)
                .body("credentials", hasSize(0));

        byte[] stored = ciphertext("acme", "openai-prod");
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("sk-live-first"));
        assertEquals(Optional.of("sk-live-first"), store.apiKey("acme", "openai-prod"));
        assertEquals(Optional.empty(), store.apiKey("globex", "openai-prod"));

        try (var server = new WireServer(Reply.json(200, """
                {"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from GPT"},
                 "finish_reason":"stop"}]}"""))) {
            var models = new BotModels(Map.of("gpt",
                    new ModelEndpoint("openai", "gpt-4o", server.baseUrl("/v1"), "openai-prod", null, null)),
                    Map.of("default", List.of("gpt")));
            var answer = generator.answer("acme", models, Task.ANSWER_GENERATION, LlmRequest.of(null, "Hi"));
            assertEquals("Hello from GPT", answer.response().text());
            assertEquals("Bearer sk-live-first", server.lastRequest().header("Authorization"));

            put("acme", "openai-prod", "{\"provider\":\"openai\",\"apiKey\":\"sk-live-rotated\"}");
            generator.answer("acme", models, Task.ANSWER_GENERATION, LlmRequest.of(null, "Hi"));
            assertEquals("Bearer sk-live-rotated", server.lastRequest().header("Authorization"));

            var otherTenant = generator.answer("globex", models, Task.ANSWER_GENERATION, LlmRequest.of(null, "Hi"));
            assertEquals("local", otherTenant.response().provider(), "another tenant cannot use acme's key");
            assertEquals(2, server.requests().size());

            var answered = metrics.find("parley.llm.calls").tags("task", "answer-generation", "provider", "openai",
                    "outcome", "answered").timer();
            assertEquals(2, answered.count(), "each provider call is measured");
            assertEquals(1, metrics.find("parley.llm.calls").tags("provider", "openai", "outcome", "no_credential")
                    .timer().count());
        }

        given().delete(PATH, "globex", "openai-prod").then().statusCode(404);
        given().delete(PATH, "acme", "openai-prod").then().statusCode(204);
        assertEquals(Optional.empty(), store.apiKey("acme", "openai-prod"));
        given().delete(PATH, "acme", "openai-prod").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("not_found"));
    }

    @Test
    void badInputIsAClear400ThatStoresNothing() throws SQLException {
        given().contentType(ContentType.JSON).body("{\"provider\":\"cohere\",\"apiKey\":\"k\"}")
                .put(PATH, "initech", "cohere").then().statusCode(400)
                .body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("provider"));
        given().contentType(ContentType.JSON).body("{\"provider\":\"openai\",\"apiKey\":\"  \"}")
                .put(PATH, "initech", "openai").then().statusCode(400)
                .body("errors[0].field", equalTo("apiKey"))
                .body(not(containsString("  \"")));
        given().contentType(ContentType.JSON).body("{\"provider\":\"openai\",\"apiKey\":\"sk-x\"}")
                .put(PATH, "initech", "bad name!").then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body("{\"provider\":\"openai\",\"apiKey\":").put(PATH, "initech", "x")
                .then().statusCode(400).body("code", equalTo("malformed_json"));
        given().get("/internal/tenants/initech/provider-credentials").then().statusCode(200)
                .body("credentials", hasSize(0));
        assertTrue(store.list("initech").isEmpty());
    }

    private byte[] ciphertext(String tenant, String name) throws SQLException {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(
                "SELECT key_ciphertext FROM provider_credentials WHERE tenant_id = ? AND name = ?")) {
            select.setString(1, tenant);
            select.setString(2, name);
            try (var rows = select.executeQuery()) {
                assertTrue(rows.next());
                return rows.getBytes(1);
            }
        }
    }
}
