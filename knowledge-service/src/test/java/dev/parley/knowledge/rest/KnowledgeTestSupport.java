package dev.parley.knowledge.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Calls of the internal API as the gateway makes them. */
final class KnowledgeTestSupport {

    private KnowledgeTestSupport() {
    }

    static String create(String tenant, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/internal/tenants/{t}/documents", tenant)
                .then().statusCode(202).extract().path("documentId");
    }

    static String upload(String tenant, byte[] file, String contentType, String filename, String title) {
        return given().contentType(contentType).body(file).queryParam("filename", filename).queryParam("title", title)
                .when().post("/internal/tenants/{t}/documents/file", tenant)
                .then().statusCode(202).extract().path("documentId");
    }

    /** Waits until ingestion has finished (indexed or failed) and returns the document. */
    static JsonPath settled(String tenant, String documentId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(
                () -> given().when().get("/internal/tenants/{t}/documents/{id}", tenant, documentId)
                        .then().statusCode(200).extract().jsonPath(),
                json -> !"pending".equals(json.getString("status")));
    }

    static JsonPath indexed(String tenant, String documentId) {
        JsonPath document = settled(tenant, documentId);
        if (!"indexed".equals(document.getString("status"))) {
            throw new AssertionError("not indexed: " + document.prettify());
        }
        return document;
    }

    static List<Map<String, Object>> search(String tenant, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/internal/tenants/{t}/search", tenant)
                .then().statusCode(200).extract().jsonPath().getList("results");
    }

    static List<Map<String, Object>> search(String tenant, String query) {
        return search(tenant, Map.of("query", query));
    }

    static List<String> documentIds(List<Map<String, Object>> results) {
        return results.stream().map(r -> (String) r.get("documentId")).distinct().toList();
    }
}
