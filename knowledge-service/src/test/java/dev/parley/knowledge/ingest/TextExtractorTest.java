package dev.parley.knowledge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TextExtractorTest {

    private final TextExtractor extractor = new TextExtractor();

    @Test
    void markdownHeadingsStartSectionsAndBlankLinesSeparateParagraphs() {
        var sections = extractor.fromText("""
                Intro line one
                continues here.

                # Cards
                Cards arrive in 5 days.

                Track them in the app.

                Fees
                ----
                There are no fees.
                """);
        assertEquals(List.of(
                new Section("", List.of("Intro line one continues here.")),
                new Section("Cards", List.of("Cards arrive in 5 days.", "Track them in the app.")),
                new Section("Fees", List.of("There are no fees."))), sections);
    }

    @Test
    void htmlKeepsHeadingsAndDropsScripts() throws Exception {
        var html = """
                <html><head><title>T</title><script>var x = 1;</script></head><body>
                <h1>Delivery</h1><p>Parcels ship within <b>two</b> days.</p><ul><li>Tracked</li><li>Insured</li></ul>
                <h2>Abroad</h2><p>International parcels take a week.</p></body></html>""";
        var sections = extractor.fromFile(html.getBytes(StandardCharsets.UTF_8), "text/html", "page.html");
        assertEquals("Delivery", sections.get(0).heading());
        assertEquals(List.of("Parcels ship within two days.", "Tracked", "Insured"), sections.get(0).paragraphs());
        assertEquals(new Section("Abroad", List.of("International parcels take a week.")), sections.get(1));
        assertTrue(sections.stream().flatMap(s -> s.paragraphs().stream()).noneMatch(p -> p.contains("var x")));
    }

    @Test
    void unsupportedOrBrokenFilesAreRefusedWithAReason() {
        var e = assertThrows(UnreadableDocumentException.class,
                () -> extractor.fromFile(new byte[] { 1, 2, 3 }, "image/png", "x.png"));
        assertTrue(e.getMessage().contains("Unsupported document type image/png"), e.getMessage());
        var broken = assertThrows(UnreadableDocumentException.class,
                () -> extractor.fromFile("%PDF-1.4 not really".getBytes(StandardCharsets.US_ASCII), "application/pdf", "x.pdf"));
        assertTrue(broken.getMessage().startsWith("Could not read the application/pdf document"), broken.getMessage());
    }
}
