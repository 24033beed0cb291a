package dev.parley.knowledge.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.parley.common.net.HostResolver;
import dev.parley.common.net.UrlPolicy;
import dev.parley.knowledge.config.KnowledgeConfig;

/**
 * What knowledge-service may fetch: the shared SSRF policy ({@link UrlPolicy}: no loopback, private, link-local,
 * CGNAT or metadata address unless an allowed network covers it, https only when configured) applied to the first
 * URL and to every redirect hop, a bounded number of hops, a size cap, and the media types that can be read.
 */
public final class FetchPolicy {

    /** Media types of pages that become documents (parsed by the Tika-based text extractor). */
    static final Set<String> DOCUMENT_TYPES = Set.of("text/html", "application/xhtml+xml", "text/plain", "text/markdown",
            "text/x-markdown", "text/x-web-markdown", "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    /** Media types a sitemap may be served with (XML, gzip-compressed XML, or a plain list of URLs). */
    static final Set<String> SITEMAP_TYPES = Set.of("application/xml", "text/xml", "application/gzip",
            "application/x-gzip", "text/plain");

    private final UrlPolicy urls;
    private final int maxRedirects;
    private final int maxBytes;

    public FetchPolicy(UrlPolicy urls, int maxRedirects, int maxBytes) {
        this.urls = urls;
        this.maxRedirects = maxRedirects;
        this.maxBytes = maxBytes;
    }

    public static FetchPolicy of(HostResolver resolver, KnowledgeConfig.Fetch config) {
        return new FetchPolicy(new UrlPolicy(resolver, config.httpsOnly(), config.allowedNetworks().orElse(List.of())),
                config.maxRedirects(), config.maxBytes());
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The URL's form only, no DNS: what a caller can be told at once. */
    public URI checkForm(String url) throws FetchFailed {
        try {
            return urls.checkForm(url);
        } catch (UrlPolicy.Refused refused) {
            throw new FetchFailed(FetchFailed.INVALID_URL, refused.getMessage());
        }
    }

    /** Resolves the host and checks every address: the target to connect to, on one of the checked addresses only. */
    public UrlPolicy.Target check(String url) throws FetchFailed {
        try {
            return urls.check(url);
        } catch (UrlPolicy.Refused refused) {
            throw new FetchFailed(switch (refused.kind()) {
                case INTERNAL -> FetchFailed.BLOCKED_ADDRESS;
                case UNRESOLVED -> FetchFailed.DNS_FAILURE;
                case FORM -> FetchFailed.INVALID_URL;
            }, refused.getMessage());
        }
    }

    /**
     * The URL a redirect leads to (a relative Location resolved against the current URL, the fragment dropped), or
     * a failure when it is missing, malformed or one hop too many. The result still has to pass {@link #check}.
     *
     * @param hop how many redirects were followed before this one
     */
    public String redirect(URI current, String location, int hop) throws FetchFailed {
        if (hop >= maxRedirects) {
            throw new FetchFailed(FetchFailed.TOO_MANY_REDIRECTS, "more than " + maxRedirects + " redirects");
        }
        if (location == null || location.isBlank()) {
            throw new FetchFailed(FetchFailed.INVALID_URL, "a redirect without a Location");
        }
        try {
            String next = current.resolve(new URI(location.strip())).toString();
            int fragment = next.indexOf('#');
            return fragment < 0 ? next : next.substring(0, fragment);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchFailed(FetchFailed.INVALID_URL, "the redirect leads to an invalid URL");
        }
    }

    /** Refuses a body announced (or grown) beyond the cap. */
    public void checkSize(long bytes) throws FetchFailed {
        if (bytes > maxBytes) {
            throw new FetchFailed(FetchFailed.TOO_LARGE, "larger than " + maxBytes + " bytes");
        }
    }

    /** The media type without parameters, lower case; application/octet-stream when absent. */
    public static String baseType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** A page of this type can become a document (octet-stream: the extractor detects the type from the bytes). */
    public static boolean documentType(String baseType) {
        return DOCUMENT_TYPES.contains(baseType) || baseType.equals("application/octet-stream");
    }

    public static boolean sitemapType(String baseType) {
        return SITEMAP_TYPES.contains(baseType) || baseType.equals("application/octet-stream");
    }
}
