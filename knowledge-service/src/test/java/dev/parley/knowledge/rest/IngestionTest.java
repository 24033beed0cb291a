package dev.parley.knowledge.rest;

import static dev.parley.knowledge.rest.KnowledgeTestSupport.create;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.indexed;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.search;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.settled;
import static dev.parley.knowledge.rest.KnowledgeTestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Every accepted format goes from upload to search results, through Kafka, with its status along the way. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class IngestionTest {

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void jsonMarkdownIsChunkedByHeadingAndFoundWithItsSource() {
        String id = create(tenant, Map.of("title", "Card delivery", "source", "https://help.example.com/cards",
                "tags", List.of("cards"), "text", """
                        # Delivery times
                        A new debit card arrives within five working days of your order.

                        # Replacing a card
                        If your card is stolen, freeze it in the app and order a replacement."""));
        var document = indexed(tenant, id);
        assertEquals(2, document.getInt("chunkCount"));
        assertEquals(1, document.getInt("version"));

        var results = search(tenant, "my card was stolen, what should I do");
        var top = results.get(0);
        assertEquals(id, top.get("documentId"));
        assertEquals("Card delivery", top.get("title"));
        assertEquals("Replacing a card", top.get("heading"));
        assertEquals("https://help.example.com/cards", top.get("source"));
        assertTrue(((String) top.get("snippet")).contains("freeze it in the app"));
        assertTrue(((Number) top.get("similarity")).doubleValue() > 0.5);
        assertTrue(top.get("chunkId") instanceof String);
    }

    @Test
    void plainTextFile() {
        String id = upload(tenant, "Our branch in Leeds opens at half past eight on Saturdays.".getBytes(StandardCharsets.UTF_8),
                "text/plain", "leeds.txt", null);
        var document = indexed(tenant, id);
        assertEquals("leeds.txt", document.getString("title"), "the file name is the title when none is given");
        assertEquals(id, search(tenant, "Leeds branch Saturday opening").get(0).get("documentId"));
    }

    @Test
    void markdownFile() {
        String id = upload(tenant, "## Overdraft\nThe arranged overdraft limit is 500 pounds.".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream", "overdraft.md", "Overdrafts");
        indexed(tenant, id);
        var top = search(tenant, "overdraft limit").get(0);
        assertEquals(id, top.get("documentId"));
        assertEquals("Overdraft", top.get("heading"));
    }

    @Test
    void htmlFile() {
        String html = "<html><body><h1>Savings</h1><p>The easy-access saver pays 3.1 percent interest.</p>"
                + "<script>ignored()</script></body></html>";
        String id = upload(tenant, html.getBytes(StandardCharsets.UTF_8), "text/html", "savings.html", "Savings accounts");
        indexed(tenant, id);
        var top = search(tenant, "interest rate of the easy access saver").get(0);
        assertEquals(id, top.get("documentId"));
        assertEquals("Savings", top.get("heading"));
        assertFalse(((String) top.get("text")).contains("ignored"));
    }

    @Test
    void pdfFile() throws Exception {
        byte[] pdf = Fixtures.pdf("Mortgage holidays", "You can pause mortgage payments for up to three months.");
        String id = upload(tenant, pdf, "application/pdf", "mortgage.pdf", "Mortgages");
        indexed(tenant, id);
        var top = search(tenant, "pause my mortgage payments").get(0);
        assertEquals(id, top.get("documentId"));
        assertTrue(((String) top.get("text")).contains("three months"));
    }

    @Test
    void docxFileDetectedWithoutADeclaredType() throws Exception {
        byte[] docx = Fixtures.docx("Travel insurance", "Travel insurance covers lost luggage up to 1,500 pounds.");
        String id = upload(tenant, docx, "application/octet-stream", "travel.docx", "Travel insurance");
        var document = indexed(tenant, id);
        assertEquals(1, document.getInt("chunkCount"));
        var top = search(tenant, "is lost luggage covered").get(0);
        assertEquals(id, top.get("documentId"));
        assertTrue(((String) top.get("text")).contains("lost luggage up to 1,500 pounds"));
    }

    @Test
    void aFileThatCannotBeReadFailsWithTheReason() {
        String id = upload(tenant, "%PDF-1.7 truncated".getBytes(StandardCharsets.US_ASCII), "application/pdf", "bad.pdf", "Broken");
        var document = settled(tenant, id);
        assertEquals("failed", document.getString("status"));
        assertTrue(document.getString("failureReason").startsWith("Could not read the application/pdf document"),
                document.getString("failureReason"));
        assertEquals(0, document.getInt("chunkCount"));
    }
}
