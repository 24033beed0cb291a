package dev.parley.knowledge.rest;

import static dev.parley.knowledge.rest.KnowledgeTestSupport.indexed;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.search;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.settled;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.knowledge.FakeDns;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * URL sources end to end through Kafka and PostgreSQL, against a local web site reached by host name (the test's
 * resolver points docs.example at 127.0.0.2, the only internal address the test configuration allows): a page, a
 * sitemap index and its pages in every readable format, a re-fetch that makes a new version, and the SSRF policy at
 * creation, on redirects and on each page's address at connection time.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class UrlSourceTest {

    private static DocsSite site;
    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeAll
    static void startSite() throws Exception {
        site = new DocsSite();
        FakeDns.point("docs.example", DocsSite.ADDRESS);
        FakeDns.point("innocent.example", "127.0.0.1");
        FakeDns.point("innocent6.example", "::1");
        FakeDns.point("intranet.example", "10.1.2.3");
        FakeDns.point("metadata.example", "169.254.169.254");
        FakeDns.point("rebound.example", "10.9.9.9");
        site.page("/cards.html", "text/html; charset=utf-8", """
                <html><head><title>Card help &amp; FAQ</title></head><body>
                <h1>Lost cards</h1><p>If your card is lost, freeze it in the app and order a replacement at once.</p>
                </body></html>""");
        site.page("/loans.md", "text/markdown", "# Loans\nPersonal loans run from one to seven years.");
        site.page("/savings.pdf", "application/pdf", Fixtures.pdf("The easy-access saver pays interest monthly."));
        site.page("/mortgage.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Fixtures.docx("A mortgage offer is valid for six months."));
        site.page("/logo.png", "image/png", new byte[] { (byte) 0x89, 'P', 'N', 'G' });
        site.redirect("/old-cards", "/cards.html");
        site.redirect("/to-intranet", "http://intranet.example/admin");
        site.redirect("/to-metadata", "http://metadata.example/latest/meta-data/");
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    private static String url(String path) {
        return "http://docs.example:" + site.port() + path;
    }

    private static JsonPath addSource(String tenant, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/internal/tenants/{t}/sources", tenant)
                .then().statusCode(202).extract().jsonPath();
    }

    private static JsonPath crawled(String tenant, String sourceId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> given().when().get("/internal/tenants/{t}/sources/{id}", tenant, sourceId)
                        .then().statusCode(200).extract().jsonPath(),
                json -> !"pending".equals(json.getString("status")));
    }

    @Test
    void aPageIsFetchedOffTheRequestThreadAndFoundWithItsUrl() {
        var source = addSource(tenant, Map.of("url", url("/cards.html"), "kind", "page", "tags", List.of("cards")));
        assertEquals("page", source.getString("kind"));
        assertEquals("crawled", source.getString("status"));
        assertEquals(1, source.getList("documents").size());
        assertEquals("pending", source.getString("documents[0].status"), "fetching happens after the answer");
        assertEquals(url("/cards.html"), source.getString("documents[0].source"));
        String id = source.getString("documents[0].documentId");

        var document = indexed(tenant, id);
        assertEquals("Card help & FAQ", document.getString("title"), "the page's own title, as none was given");
        assertEquals(source.getString("sourceId"), document.getString("sourceId"));
        assertTrue(document.getString("contentType").startsWith("text/html"));
        assertTrue(site.requests.contains("docs.example:" + site.port() + "/cards.html"),
                "connected to the checked address with the URL's host in the Host header: " + site.requests);

        var top = search(tenant, "I lost my card, what now?").get(0);
        assertEquals(id, top.get("documentId"));
        assertEquals(url("/cards.html"), top.get("source"));
        assertEquals(List.of("cards"), top.get("tags"));
    }

    @Test
    void aSitemapIndexMakesOneDocumentPerPageEachWithItsOwnStatus() {
        site.page("/sitemap-index.xml", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>%s</loc></sitemap>
                  <sitemap><loc>%s</loc></sitemap>
                </sitemapindex>""".formatted(url("/sitemap-pages.xml"), url("/sitemap-missing.xml")));
        site.page("/sitemap-pages.xml", "text/xml", """
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc>%s</loc></url><url><loc>%s</loc></url><url><loc>%s</loc></url>
                  <url><loc>%s</loc></url><url><loc>%s</loc></url><url><loc>%s</loc></url>
                  <url><loc>%s</loc></url><url><loc>ftp://docs.example/ignored</loc></url>
                </urlset>""".formatted(url("/cards.html"), url("/loans.md"), url("/savings.pdf"), url("/mortgage.docx"),
                url("/gone.html"), url("/logo.png"), "http://rebound.example:" + site.port() + "/cards.html"));

        var accepted = addSource(tenant, Map.of("url", url("/sitemap-index.xml"), "kind", "sitemap", "botId", "bank-bot"));
        assertEquals("pending", accepted.getString("status"), "the sitemap is read by the crawler, not the request");
        assertEquals(List.of(), accepted.getList("documents"));

        var source = crawled(tenant, accepted.getString("sourceId"));
        assertEquals("crawled", source.getString("status"));
        assertEquals(7, source.getInt("documentCount"), "the ftp URL is not a page this service fetches");
        Map<String, String> ids = new HashMap<>();
        for (Map<String, Object> d : source.<Map<String, Object>> getList("documents")) {
            ids.put((String) d.get("source"), (String) d.get("documentId"));
            assertEquals("bank-bot", d.get("botId"));
        }
        for (String path : List.of("/cards.html", "/loans.md", "/savings.pdf", "/mortgage.docx")) {
            indexed(tenant, ids.get(url(path)));
        }
        var gone = settled(tenant, ids.get(url("/gone.html")));
        assertEquals("failed", gone.getString("status"));
        assertTrue(gone.getString("failureReason").startsWith("http_404"), gone.getString("failureReason"));
        var image = settled(tenant, ids.get(url("/logo.png")));
        assertTrue(image.getString("failureReason").startsWith("unsupported_type"), image.getString("failureReason"));
        // Listed in the sitemap under a name that resolves to a private address: refused at connection time.
        var rebound = settled(tenant, ids.get("http://rebound.example:" + site.port() + "/cards.html"));
        assertEquals("failed", rebound.getString("status"));
        assertTrue(rebound.getString("failureReason").startsWith("blocked_address"), rebound.getString("failureReason"));
        assertTrue(rebound.getString("failureReason").contains("10.9.9.9"));

        var hits = search(tenant, Map.of("query", "how long can a personal loan run", "botId", "bank-bot"));
        assertEquals(ids.get(url("/loans.md")), hits.get(0).get("documentId"));
        assertEquals(ids.get(url("/savings.pdf")),
                search(tenant, Map.of("query", "easy-access saver interest", "botId", "bank-bot")).get(0).get("documentId"));
        assertEquals(ids.get(url("/mortgage.docx")),
                search(tenant, Map.of("query", "how long is a mortgage offer valid", "botId", "bank-bot")).get(0).get("documentId"));
    }

    @Test
    void fetchingAKnownUrlAgainMakesANewVersionOfTheSameDocument() {
        site.page("/branch.html", "text/html", "<html><body><p>The Harrogate branch opens at nine on weekdays.</p></body></html>");
        var first = addSource(tenant, Map.of("url", url("/branch.html"), "kind", "page", "title", "Harrogate branch"));
        String id = first.getString("documents[0].documentId");
        assertEquals(1, indexed(tenant, id).getInt("version"));

        site.page("/branch.html", "text/html", "<html><body><p>The Harrogate branch now opens at half past ten.</p></body></html>");
        var again = addSource(tenant, Map.of("url", url("/branch.html"), "kind", "page", "title", "Harrogate branch"));
        assertEquals(id, again.getString("documents[0].documentId"), "the same document, not a second one");
        var document = indexed(tenant, id);
        assertEquals(2, document.getInt("version"));
        assertEquals("Harrogate branch", document.getString("title"));

        var results = search(tenant, "When does the Harrogate branch open?");
        var texts = results.stream().map(r -> (String) r.get("text")).collect(Collectors.joining("\n"));
        assertTrue(texts.contains("half past ten"), texts);
        assertFalse(texts.contains("at nine"), "the old version is gone once the new one is indexed: " + texts);
        assertEquals(1, given().when().get("/internal/tenants/{t}/documents", tenant).then().statusCode(200)
                .extract().jsonPath().getList("documents").size());
    }

    @Test
    void redirectsAreFollowedOnlyToAllowedAddresses() {
        var followed = addSource(tenant, Map.of("url", url("/old-cards"), "kind", "page"));
        indexed(tenant, followed.getString("documents[0].documentId"));

        for (String path : List.of("/to-intranet", "/to-metadata")) {
            var refused = addSource(tenant, Map.of("url", url(path), "kind", "page"));
            var document = settled(tenant, refused.getString("documents[0].documentId"));
            assertEquals("failed", document.getString("status"));
            assertTrue(document.getString("failureReason").startsWith("blocked_address"),
                    document.getString("failureReason"));
            assertEquals(0, document.getInt("chunkCount"));
        }
    }

    @Test
    void aSitemapThatCannotBeReadFailsWithTheReason() {
        var missing = addSource(tenant, Map.of("url", url("/no-sitemap.xml"), "kind", "sitemap"));
        var source = crawled(tenant, missing.getString("sourceId"));
        assertEquals("failed", source.getString("status"));
        assertTrue(source.getString("failureReason").startsWith("http_404"), source.getString("failureReason"));

        var notXml = addSource(tenant, Map.of("url", url("/cards.html"), "kind", "sitemap"));
        assertTrue(crawled(tenant, notXml.getString("sourceId")).getString("failureReason").startsWith("unsupported_type"));
    }

    @Test
    void aHostNameThatResolvesToLoopbackIsRefusedWhenLoopbackIsNotAllowed() {
        for (String url : List.of("http://innocent.example/docs", "https://innocent6.example/sitemap.xml",
                "http://localhost:18083/", "http://127.0.0.1/", "http://127.1.2.3:8443/", "http://[::1]/",
                "http://[::ffff:127.0.0.1]/")) {
            for (String kind : List.of("page", "sitemap")) {
                given().contentType(ContentType.JSON).body(Map.of("url", url, "kind", kind))
                        .when().post("/internal/tenants/{t}/sources", tenant)
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("code", equalTo("validation_failed"))
                        .body("detail", containsString("internal address"));
            }
        }
        // The same name in a sitemap is refused when its page is fetched.
        site.page("/sitemap-loopback.xml", "application/xml", "<urlset><url><loc>http://innocent.example:" + site.port()
                + "/cards.html</loc></url></urlset>");
        var source = crawled(tenant, addSource(tenant, Map.of("url", url("/sitemap-loopback.xml"), "kind", "sitemap"))
                .getString("sourceId"));
        var page = settled(tenant, source.getString("documents[0].documentId"));
        assertEquals("failed", page.getString("status"));
        assertTrue(page.getString("failureReason").startsWith("blocked_address"), page.getString("failureReason"));
        assertFalse(site.requests.stream().anyMatch(r -> r.startsWith("innocent.example")), site.requests.toString());
    }

    @Test
    void badSourcesAreRefusedAtOnceAndNothingIsStored() {
        for (var body : List.<Map<String, Object>> of(
                Map.of("url", url("/cards.html"), "kind", "feed"),
                Map.of("url", "ftp://docs.example/cards", "kind", "page"),
                Map.of("url", "http://intranet.example/wiki", "kind", "page"),
                Map.of("url", "http://metadata.example/latest/meta-data/", "kind", "sitemap"),
                Map.of("url", "http://169.254.169.254/", "kind", "page"),
                Map.of("kind", "page"),
                Map.of("url", url("/cards.html"), "kind", "page", "tags", List.of("not a tag")))) {
            given().contentType(ContentType.JSON).body(body).when().post("/internal/tenants/{t}/sources", tenant)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("validation_failed"));
        }
        given().contentType(ContentType.JSON).body(Map.of("url", "http://intranet.example/wiki", "kind", "page"))
                .when().post("/internal/tenants/{t}/sources", tenant)
                .then().statusCode(400).body("detail", containsString("internal address"));
        assertEquals(0, given().when().get("/internal/tenants/{t}/documents", tenant).then().statusCode(200)
                .extract().jsonPath().getList("documents").size());
        given().when().get("/internal/tenants/{t}/sources/{id}", tenant, UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("source_not_found"));
        given().when().get("/internal/tenants/{t}/sources/{id}", tenant, "not-an-id")
                .then().statusCode(404).body("code", equalTo("source_not_found"));
    }
}
