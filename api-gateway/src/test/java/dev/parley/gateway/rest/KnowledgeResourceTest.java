package dev.parley.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.gateway.repository.ApiKeyRepository;
import dev.parley.gateway.security.ApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The public knowledge API's URL sources: passed to knowledge-service for the caller's tenant, with knowledge:manage. */
@QuarkusTest
@QuarkusTestResource(value = FakeKnowledgeService.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "parley_gateway"))
class KnowledgeResourceTest {

    static final String READ_ONLY_KEY = "pk_test_gateway_knowledge_readonly_0123456";

    @Inject
    ApiKeyRepository keys;
    @Inject
    ApiKeys apiKeys;

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + FakeKnowledgeService.ADMIN_KEY).contentType("application/json");
    }

    @Test
    void aUrlSourceGoesToTheCallersTenant() {
        admin().body(Map.of("url", "https://help.example.com/sitemap.xml", "kind", "sitemap", "tags", List.of("help"),
                "botId", "bank-bot"))
                .post("/v1/knowledge/sources").then().statusCode(202)
                .header("Location", endsWith("/v1/knowledge/sources/s-1"))
                .body("sourceId", equalTo("s-1")).body("status", equalTo("pending"))
                .body("documents[0].documentId", equalTo("d-1")).body("documents[0].sourceId", equalTo("s-1"));
        String forwarded = FakeKnowledgeService.requests.get(FakeKnowledgeService.requests.size() - 1);
        assertTrue(forwarded.startsWith("POST /internal/tenants/" + FakeKnowledgeService.TENANT + "/sources "), forwarded);
        assertTrue(forwarded.contains("\"url\":\"https://help.example.com/sitemap.xml\"") && forwarded.contains("\"kind\":\"sitemap\"")
                && forwarded.contains("\"botId\":\"bank-bot\""), forwarded);

        admin().get("/v1/knowledge/sources/s-1").then().statusCode(200)
                .body("status", equalTo("crawled"))
                .body("documents[0].status", equalTo("failed"))
                .body("documents[0].failureReason", equalTo("http_404: the server answered 404"));
        admin().get("/v1/knowledge/sources/ghost").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("source_not_found"));
    }

    @Test
    void aRefusedUrlIsTheCallersError() {
        admin().body(Map.of("url", "http://intranet.example/wiki", "kind", "page"))
                .post("/v1/knowledge/sources").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation_failed")).body("detail", containsString("internal address"));
    }

    @Test
    void badBodiesAreRefusedBeforeReachingTheService() {
        int before = FakeKnowledgeService.requests.size();
        for (var body : List.<Map<String, Object>> of(
                Map.of("url", "https://help.example.com/", "kind", "feed"),
                Map.of("kind", "page"),
                Map.of("url", "https://help.example.com/" + "x".repeat(2000), "kind", "page"),
                Map.of("url", "https://help.example.com/", "kind", "page", "tags", List.of("bad tag")),
                Map.of("url", "https://help.example.com/", "kind", "page", "botId", "bad bot"))) {
            admin().body(body).post("/v1/knowledge/sources").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("validation_failed"));
        }
        assertEquals(before, FakeKnowledgeService.requests.size(), "nothing was forwarded");
    }

    @Test
    void theScopeKnowledgeManageIsNeeded() throws Exception {
        keys.ensure(FakeKnowledgeService.TENANT, null, "read-only", ApiKeys.displayPrefix(READ_ONLY_KEY),
                apiKeys.hash(READ_ONLY_KEY), Set.of("conversations:read"));
        int before = FakeKnowledgeService.requests.size();
        given().header("Authorization", "Bearer " + READ_ONLY_KEY).contentType("application/json")
                .body(Map.of("url", "https://help.example.com/", "kind", "page"))
                .post("/v1/knowledge/sources").then().statusCode(403).body("code", equalTo("forbidden"));
        given().header("Authorization", "Bearer " + READ_ONLY_KEY).get("/v1/knowledge/sources/s-1").then().statusCode(403);
        given().contentType("application/json").body(Map.of("url", "https://help.example.com/", "kind", "page"))
                .post("/v1/knowledge/sources").then().statusCode(401);
        assertEquals(before, FakeKnowledgeService.requests.size(), "nothing was forwarded");
    }
}
