package dev.parley.knowledge.rest;

import static dev.parley.knowledge.rest.KnowledgeTestSupport.create;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.documentIds;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.indexed;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.search;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Update, delete, filters, tenants, paging, bulk import and bad input. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class DocumentLifecycleTest {

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void anUpdateReplacesTheOldVersionEverywhere() {
        String id = create(tenant, Map.of("title", "Branch hours", "text", "The Harrogate branch opens at nine o'clock."));
        indexed(tenant, id);
        given().contentType(ContentType.JSON)
                .body(Map.of("title", "Branch hours", "text", "The Harrogate branch now opens at ten, after refurbishment."))
                .when().put("/internal/tenants/{t}/documents/{id}", tenant, id)
                .then().statusCode(202).body("version", equalTo(2)).body("status", equalTo("pending"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "indexed".equals(given()
                .get("/internal/tenants/{t}/documents/{id}", tenant, id).path("status")));

        var results = search(tenant, Map.of("query", "Harrogate branch opening", "limit", 10));
        assertEquals(1, results.size(), "one version only: " + results);
        assertTrue(((String) results.get(0).get("text")).contains("opens at ten"));
        assertTrue(search(tenant, Map.of("query", "nine o'clock", "mode", "keyword")).isEmpty(), "the old text is gone");
    }

    @Test
    void aDeletedDocumentIsGoneFromSearchAndFromTheApi() {
        String keep = create(tenant, Map.of("title", "Cheques", "text", "Cheques clear in two working days."));
        String drop = create(tenant, Map.of("title", "Cheque books", "text", "Order a cheque book in the app."));
        indexed(tenant, keep);
        indexed(tenant, drop);
        assertEquals(2, documentIds(search(tenant, "cheque")).size());

        given().when().delete("/internal/tenants/{t}/documents/{id}", tenant, drop).then().statusCode(204);
        assertEquals(List.of(keep), documentIds(search(tenant, "cheque")));
        given().when().get("/internal/tenants/{t}/documents/{id}", tenant, drop)
                .then().statusCode(404).body("code", equalTo("document_not_found"));
        given().when().delete("/internal/tenants/{t}/documents/{id}", tenant, drop).then().statusCode(404);
    }

    @Test
    void searchesAreFilteredByBotAndTags() {
        String shared = create(tenant, Map.of("title", "Fees", "text", "Card payments abroad cost nothing.",
                "tags", List.of("fees", "cards")));
        String botA = create(tenant, Map.of("title", "Fees (premium)", "text", "Premium card payments abroad are free too.",
                "botId", "bot-a", "tags", List.of("fees")));
        String botB = create(tenant, Map.of("title", "Fees (business)", "text", "Business card payments abroad cost 1 percent.",
                "botId", "bot-b", "tags", List.of("fees", "business")));
        List.of(shared, botA, botB).forEach(id -> indexed(tenant, id));

        assertEquals(3, documentIds(search(tenant, Map.of("query", "card payments abroad", "limit", 10))).size());
        var forA = documentIds(search(tenant, Map.of("query", "card payments abroad", "botId", "bot-a", "limit", 10)));
        assertEquals(2, forA.size());
        assertTrue(forA.containsAll(List.of(shared, botA)), "a bot sees its own and the tenant-wide documents");
        assertEquals(List.of(botB), documentIds(search(tenant, Map.of("query", "card payments abroad", "tags",
                List.of("fees", "business")))), "every tag must match");
        assertEquals(List.of(shared), documentIds(search(tenant, Map.of("query", "card payments abroad", "tags",
                List.of("cards")))));
    }

    @Test
    void anotherTenantSeesNothingAndErasureRemovesEverything() {
        String id = create(tenant, Map.of("title", "Secret", "text", "Our internal escalation number is 0800 123."));
        indexed(tenant, id);
        String other = "t-" + UUID.randomUUID();
        assertTrue(search(other, "internal escalation number").isEmpty());
        given().when().get("/internal/tenants/{t}/documents/{id}", other, id).then().statusCode(404);
        given().when().delete("/internal/tenants/{t}/documents/{id}", other, id).then().statusCode(404);

        given().when().delete("/internal/tenants/{t}/knowledge", tenant).then().statusCode(200).body("documents", equalTo(1));
        assertTrue(search(tenant, "internal escalation number").isEmpty());
        given().when().get("/internal/tenants/{t}/documents/{id}", tenant, id).then().statusCode(404);
    }

    @Test
    void listingPagesWithACursorNewestFirst() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(tenant, Map.of("title", "Doc " + i, "text", "Text " + i, "tags", List.of(i % 2 == 0 ? "even" : "odd"))));
        }
        var first = given().queryParam("limit", 2).get("/internal/tenants/{t}/documents", tenant).then().statusCode(200)
                .extract().jsonPath();
        var seen = new ArrayList<String>(first.getList("documents.documentId"));
        String cursor = first.getString("nextCursor");
        while (cursor != null) {
            var page = given().queryParam("limit", 2).queryParam("cursor", cursor).get("/internal/tenants/{t}/documents", tenant)
                    .then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("documents.documentId"));
            cursor = page.getString("nextCursor");
        }
        assertEquals(ids.reversed(), seen);
        assertEquals(3, given().queryParam("tag", "even").get("/internal/tenants/{t}/documents", tenant)
                .then().extract().jsonPath().getList("documents").size());
        given().queryParam("cursor", "not-a-cursor").get("/internal/tenants/{t}/documents", tenant)
                .then().statusCode(400).body("code", equalTo("invalid_cursor"));
    }

    @Test
    void aBulkImportReportsProgressUntilDone() {
        String ndjson = """
                {"title":"Lost card","text":"Report a lost card in the app straight away.","tags":["cards"]}
                {"title":"PIN","text":"You can view your PIN in the app under Card settings."}

                {"title":"Limits","text":"The daily cash withdrawal limit is 300 pounds.","botId":"bot-a"}
                """;
        var accepted = given().contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/internal/tenants/{t}/imports", tenant)
                .then().statusCode(202).body("total", equalTo(3)).extract().jsonPath();
        String importId = accepted.getString("importId");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/internal/tenants/{t}/imports/{id}", tenant, importId)
                .then().statusCode(200).extract().jsonPath().getBoolean("done"));
        given().get("/internal/tenants/{t}/imports/{id}", tenant, importId).then()
                .body("indexed", equalTo(3)).body("pending", equalTo(0)).body("failed", equalTo(0));
        assertEquals(accepted.getString("documentIds[2]"), search(tenant, "cash withdrawal limit").get(0).get("documentId"));
    }

    @Test
    void aBadImportLineStoresNothing() {
        String ndjson = "{\"title\":\"Ok\",\"text\":\"fine\"}\n{\"title\":\"\",\"text\":\"no title\"}\n";
        given().contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).when().post("/internal/tenants/{t}/imports", tenant)
                .then().statusCode(400).body("code", equalTo("validation_failed")).body("detail", startsWith("line 2: title"));
        assertEquals(0, given().get("/internal/tenants/{t}/documents", tenant).then().extract().jsonPath()
                .getList("documents").size());
    }

    @Test
    void badInputIsAClearFourHundredThatChangesNothing() {
        given().contentType(ContentType.JSON).body(Map.of("title", "No text"))
                .when().post("/internal/tenants/{t}/documents", tenant)
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body(Map.of("title", "x", "text", "y", "tags", List.of("has space")))
                .when().post("/internal/tenants/{t}/documents", tenant)
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body("{\"title\":\"x\",\"text\":\"y\",\"colour\":\"red\"}")
                .when().post("/internal/tenants/{t}/documents", tenant)
                .then().statusCode(400);
        given().contentType("image/png").body(new byte[] { 1, 2 }).queryParam("filename", "x.png")
                .when().post("/internal/tenants/{t}/documents/file", tenant)
                .then().statusCode(415).body("code", equalTo("unsupported_media_type"));
        given().contentType(ContentType.JSON).body(Map.of("query", "x", "limit", 500))
                .when().post("/internal/tenants/{t}/search", tenant)
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body(Map.of("query", " "))
                .when().post("/internal/tenants/{t}/search", tenant)
                .then().statusCode(400);
        given().when().get("/internal/tenants/{t}/documents/{id}", tenant, "not-a-uuid").then().statusCode(404);
        assertEquals(0, given().get("/internal/tenants/{t}/documents", tenant).then().extract().jsonPath()
                .getList("documents").size());
    }
}
