package dev.parley.knowledge.fetch;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** A fetched page's own title (HTML {@code <title>}) and a file name from its URL, for the document. */
public final class PageTitles {

    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private PageTitles() {
    }

    /** The HTML title, entities decoded and blanks collapsed, at most 300 characters; empty for other types. */
    public static Optional<String> title(byte[] body, String baseType) {
        if (!baseType.equals("text/html") && !baseType.equals("application/xhtml+xml")) {
            return Optional.empty();
        }
        String head = new String(body, 0, Math.min(body.length, 65_536), StandardCharsets.UTF_8);
        var matcher = TITLE.matcher(head);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String title = matcher.group(1).replaceAll("<[^>]*>", " ")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&apos;", "'").replace("&nbsp;", " ").replace("&amp;", "&")
                .replaceAll("\\s+", " ").strip();
        if (title.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(title.length() > 300 ? title.substring(0, 300) : title);
    }

    /** The last path segment when it looks like a file name (it has an extension), else null. */
    public static String filename(String url) {
        try {
            String path = URI.create(url).getPath();
            if (path == null) {
                return null;
            }
            String last = path.substring(path.lastIndexOf('/') + 1);
            return last.contains(".") && last.length() <= 300 ? last : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
