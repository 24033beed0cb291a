package dev.parley.knowledge.ingest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns a document's bytes into sections (heading + paragraphs). HTML, PDF and Office documents go through Apache
 * Tika, whose XHTML output keeps headings ({@code h1..h6}) and paragraphs; plain text and Markdown are read here,
 * because Tika sees Markdown as flat text and would lose its headings.
 */
public final class TextExtractor {

    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^(=+|-+)\\s*$");
    private static final int MAX_CHARACTERS = 5_000_000;

    private final AutoDetectParser parser = new AutoDetectParser(TikaConfig.getDefaultConfig());

    /** Sections of a text given directly (JSON {@code text}): Markdown headings are honoured. */
    public List<Section> fromText(String text) {
        return markdown(text);
    }

    /**
     * @param contentType the declared media type, or null to detect it from the bytes and the file name
     * @param filename    the original file name, or null
     */
    public List<Section> fromFile(byte[] content, String contentType, String filename) throws UnreadableDocumentException {
        String type = mediaType(content, contentType, filename);
        if (type.equals("text/markdown") || type.equals("text/x-web-markdown") || type.equals("text/plain")) {
            return markdown(decode(content));
        }
        if (!supported(type)) {
            throw new UnreadableDocumentException("Unsupported document type " + type
                    + "; send text, Markdown, HTML, PDF or DOCX");
        }
        var handler = new StructureHandler();
        var metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, type);
        if (filename != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        try {
            parser.parse(new ByteArrayInputStream(content), handler, metadata, new ParseContext());
        } catch (Exception | LinkageError e) {
            throw new UnreadableDocumentException("Could not read the " + type + " document: " + e.getMessage(), e);
        }
        var sections = handler.sections();
        if (sections.isEmpty()) {
            throw new UnreadableDocumentException("The " + type + " document contains no text");
        }
        return sections;
    }

    /** Media types this extractor accepts (after detection). */
    public static boolean supported(String type) {
        return type.startsWith("text/") || type.equals("application/pdf") || type.equals("application/xhtml+xml")
                || type.equals("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                || type.equals("application/msword");
    }

    private String mediaType(byte[] content, String declared, String filename) throws UnreadableDocumentException {
        String lowerName = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (lowerName.endsWith(".md") || lowerName.endsWith(".markdown")) {
            return "text/markdown";
        }
        if (declared != null && !declared.isBlank()) {
            String base = MediaType.parse(declared) == null ? declared : MediaType.parse(declared).getBaseType().toString();
            if (!base.equals("application/octet-stream")) {
                return base.toLowerCase(Locale.ROOT);
            }
        }
        try {
            var metadata = new Metadata();
            if (filename != null) {
                metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
            }
            return parser.getDetector().detect(new ByteArrayInputStream(content), metadata).getBaseType().toString();
        } catch (java.io.IOException e) {
            throw new UnreadableDocumentException("Could not detect the document type", e);
        }
    }

    private static String decode(byte[] content) throws UnreadableDocumentException {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(content, StandardCharsets.ISO_8859_1);
        }
    }

    /** Headings (ATX {@code #} and setext underlines) start sections; blank lines separate paragraphs. */
    static List<Section> markdown(String text) {
        var sections = new ArrayList<Section>();
        String heading = "";
        var paragraphs = new ArrayList<String>();
        var paragraph = new StringBuilder();
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            var atx = MARKDOWN_HEADING.matcher(line);
            boolean setext = i + 1 < lines.length && !line.isBlank() && paragraph.isEmpty()
                    && SETEXT_UNDERLINE.matcher(lines[i + 1]).matches();
            if (atx.matches() || setext) {
                flush(paragraph, paragraphs);
                if (!paragraphs.isEmpty() || !heading.isEmpty()) {
                    sections.add(new Section(heading, List.copyOf(paragraphs)));
                }
                paragraphs.clear();
                heading = (atx.matches() ? atx.group(1) : line).strip();
                if (setext) {
                    i++;
                }
            } else if (line.isBlank()) {
                flush(paragraph, paragraphs);
            } else {
                if (!paragraph.isEmpty()) {
                    paragraph.append(' ');
                }
                paragraph.append(line.strip());
            }
        }
        flush(paragraph, paragraphs);
        if (!paragraphs.isEmpty()) {
            sections.add(new Section(heading, List.copyOf(paragraphs)));
        }
        sections.removeIf(s -> s.paragraphs().isEmpty());
        return sections;
    }

    private static void flush(StringBuilder paragraph, List<String> paragraphs) {
        String text = paragraph.toString().strip();
        if (!text.isEmpty()) {
            paragraphs.add(text);
        }
        paragraph.setLength(0);
    }

    /** Collects Tika's XHTML into sections: h1-h6 open a section, block elements end a paragraph. */
    private static final class StructureHandler extends DefaultHandler {
        private final List<Section> sections = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private List<String> paragraphs = new ArrayList<>();
        private String heading = "";
        private boolean inHeading;
        private boolean skipping;
        private int characters;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            String name = localName.isEmpty() ? qName : localName;
            switch (name) {
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    endParagraph();
                    inHeading = true;
                }
                case "p", "div", "li", "tr", "br", "pre", "blockquote", "td", "th" -> endParagraph();
                case "title", "script", "style", "head" -> skipping = true;
                default -> {
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            String name = localName.isEmpty() ? qName : localName;
            switch (name) {
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    String title = normalise(text.toString());
                    text.setLength(0);
                    inHeading = false;
                    if (!title.isEmpty()) {
                        if (!paragraphs.isEmpty()) {
                            sections.add(new Section(heading, paragraphs));
                        }
                        paragraphs = new ArrayList<>();
                        heading = title;
                    }
                }
                case "td", "th" -> text.append(' ');
                case "p", "div", "li", "tr", "pre", "blockquote" -> endParagraph();
                case "title", "script", "style", "head" -> skipping = false;
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (skipping || characters > MAX_CHARACTERS) {
                return;
            }
            characters += length;
            text.append(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            if (!skipping) {
                text.append(' ');
            }
        }

        private void endParagraph() {
            if (inHeading) {
                return;
            }
            String paragraph = normalise(text.toString());
            text.setLength(0);
            if (!paragraph.isEmpty()) {
                paragraphs.add(paragraph);
            }
        }

        List<Section> sections() {
            endParagraph();
            if (!paragraphs.isEmpty()) {
                sections.add(new Section(heading, paragraphs));
                paragraphs = new ArrayList<>();
            }
            return sections;
        }

        private static String normalise(String s) {
            return s.replace('\u00a0', ' ').replaceAll("\\s+", " ").strip();
        }
    }
}
