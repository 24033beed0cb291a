package dev.parley.knowledge.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class SitemapsTest {

    private static final String URLSET = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://docs.example/a</loc><lastmod>2026-01-01</lastmod></url>
              <url><loc> https://docs.example/b?x=1&amp;y=2 </loc></url>
              <url><loc>https://docs.example/c</loc></url>
            </urlset>""";

    @Test
    void aUrlsetListsItsPagesUpToTheLimit() throws Exception {
        var sitemap = Sitemaps.parse(URLSET.getBytes(StandardCharsets.UTF_8), "application/xml", 10_000, 10);
        assertEquals(Sitemaps.Kind.URLSET, sitemap.kind());
        assertEquals(List.of("https://docs.example/a", "https://docs.example/b?x=1&y=2", "https://docs.example/c"),
                sitemap.locations());
        assertEquals(2, Sitemaps.parse(URLSET.getBytes(StandardCharsets.UTF_8), "text/xml", 10_000, 2).locations().size());
    }

    @Test
    void anIndexListsSitemaps() throws Exception {
        String index = """
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>https://docs.example/sitemap-1.xml</loc></sitemap>
                </sitemapindex>""";
        var sitemap = Sitemaps.parse(index.getBytes(StandardCharsets.UTF_8), "application/xml", 10_000, 10);
        assertEquals(Sitemaps.Kind.INDEX, sitemap.kind());
        assertEquals(List.of("https://docs.example/sitemap-1.xml"), sitemap.locations());
    }

    @Test
    void gzipAndTextSitemaps() throws Exception {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(URLSET.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(3, Sitemaps.parse(out.toByteArray(), "application/gzip", 10_000, 10).locations().size());
        assertEquals(FetchFailed.TOO_LARGE,
                assertThrows(FetchFailed.class, () -> Sitemaps.parse(out.toByteArray(), "application/gzip", 100, 10)).code());
        var text = Sitemaps.parse("https://docs.example/a\n\nhttps://docs.example/b\n".getBytes(StandardCharsets.UTF_8),
                "text/plain", 10_000, 10);
        assertEquals(List.of("https://docs.example/a", "https://docs.example/b"), text.locations());
    }

    @Test
    void entitiesAndOtherDocumentsAreRefused() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <urlset><url><loc>https://docs.example/&secret;</loc></url></urlset>""";
        assertEquals(FetchFailed.NOT_A_SITEMAP, assertThrows(FetchFailed.class,
                () -> Sitemaps.parse(xxe.getBytes(StandardCharsets.UTF_8), "application/xml", 10_000, 10)).code());
        assertEquals(FetchFailed.NOT_A_SITEMAP, assertThrows(FetchFailed.class,
                () -> Sitemaps.parse("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8), "application/xml",
                        10_000, 10)).code());
        assertEquals(FetchFailed.NOT_A_SITEMAP, assertThrows(FetchFailed.class,
                () -> Sitemaps.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/octet-stream", 10_000,
                        10)).code());
    }
}
