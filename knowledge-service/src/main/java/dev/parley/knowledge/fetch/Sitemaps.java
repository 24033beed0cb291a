package dev.parley.knowledge.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Reads a sitemap (sitemaps.org): a {@code urlset} of pages or a {@code sitemapindex} of further sitemaps, as XML,
 * gzip-compressed XML (capped after decompression), or a plain text list of URLs. DTDs and external entities are
 * refused, so a sitemap cannot make the parser read files or reach other hosts.
 */
public final class Sitemaps {

    private Sitemaps() {
    }

    public enum Kind {
        URLSET, INDEX
    }

    /** The locations ({@code loc}) a sitemap lists, at most {@code limit} of them, in order. */
    public record Sitemap(Kind kind, List<String> locations) {
    }

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();
    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XML.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    public static Sitemap parse(byte[] body, String baseType, int maxBytes, int limit) throws FetchFailed {
        byte[] bytes = gzipped(body) ? gunzip(body, maxBytes) : body;
        int start = 0;
        while (start < bytes.length && (Character.isWhitespace(bytes[start]) || bytes[start] == (byte) 0xef
                || bytes[start] == (byte) 0xbb || bytes[start] == (byte) 0xbf)) {
            start++;
        }
        if (start < bytes.length && bytes[start] == '<') {
            return xml(bytes, limit);
        }
        if (baseType.equals("text/plain")) {
            return text(new String(bytes, StandardCharsets.UTF_8), limit);
        }
        throw new FetchFailed(FetchFailed.NOT_A_SITEMAP, "neither a sitemap XML document nor a list of URLs");
    }

    private static Sitemap xml(byte[] bytes, int limit) throws FetchFailed {
        Kind kind = null;
        var locations = new ArrayList<String>();
        try {
            var reader = XML.createXMLStreamReader(new ByteArrayInputStream(bytes));
            try {
                boolean inLoc = false;
                var text = new StringBuilder();
                while (reader.hasNext() && locations.size() < limit) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        String name = reader.getLocalName();
                        if (kind == null) {
                            kind = switch (name) {
                                case "urlset" -> Kind.URLSET;
                                case "sitemapindex" -> Kind.INDEX;
                                default -> throw new FetchFailed(FetchFailed.NOT_A_SITEMAP,
                                        "the document is a <" + name + ">, not a <urlset> or <sitemapindex>");
                            };
                        } else if (name.equals("loc")) {
                            inLoc = true;
                            text.setLength(0);
                        }
                    } else if (inLoc && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                        if (text.length() < 4096) {
                            text.append(reader.getText());
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT && inLoc && reader.getLocalName().equals("loc")) {
                        inLoc = false;
                        String location = text.toString().strip();
                        if (!location.isEmpty()) {
                            locations.add(location);
                        }
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new FetchFailed(FetchFailed.NOT_A_SITEMAP, "not well-formed XML");
        }
        if (kind == null) {
            throw new FetchFailed(FetchFailed.NOT_A_SITEMAP, "an empty document");
        }
        return new Sitemap(kind, List.copyOf(locations));
    }

    private static Sitemap text(String text, int limit) throws FetchFailed {
        var locations = new ArrayList<String>();
        for (String line : text.split("\r?\n")) {
            String location = line.strip();
            if (location.isEmpty()) {
                continue;
            }
            if (!location.startsWith("http://") && !location.startsWith("https://")) {
                throw new FetchFailed(FetchFailed.NOT_A_SITEMAP, "a text sitemap holds one http(s) URL per line");
            }
            if (locations.size() < limit) {
                locations.add(location);
            }
        }
        return new Sitemap(Kind.URLSET, List.copyOf(locations));
    }

    private static boolean gzipped(byte[] body) {
        return body.length > 2 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b;
    }

    private static byte[] gunzip(byte[] body, int maxBytes) throws FetchFailed {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new FetchFailed(FetchFailed.TOO_LARGE, "larger than " + maxBytes + " bytes once decompressed");
            }
            return bytes;
        } catch (IOException e) {
            throw new FetchFailed(FetchFailed.NOT_A_SITEMAP, "not valid gzip");
        }
    }
}
