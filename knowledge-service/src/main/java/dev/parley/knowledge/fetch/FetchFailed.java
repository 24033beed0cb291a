package dev.parley.knowledge.fetch;

/**
 * Why a URL could not be fetched: a stable reason code ({@code blocked_address}, {@code http_404}, ...) and a detail
 * for people. The document's failure reason is {@code "<code>: <detail>"}.
 */
public final class FetchFailed extends Exception {

    public static final String BLOCKED_ADDRESS = "blocked_address";
    public static final String INVALID_URL = "invalid_url";
    public static final String DNS_FAILURE = "dns_failure";
    public static final String TOO_MANY_REDIRECTS = "too_many_redirects";
    public static final String TOO_LARGE = "too_large";
    public static final String TIMEOUT = "timeout";
    public static final String CONNECTION_FAILED = "connection_failed";
    public static final String UNSUPPORTED_TYPE = "unsupported_type";
    public static final String NOT_A_SITEMAP = "not_a_sitemap";

    private final String code;

    public FetchFailed(String code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
    }

    /** {@code http_<status>} for an answer that is neither a success nor a redirect. */
    public static FetchFailed status(int status) {
        return new FetchFailed("http_" + status, "the server answered " + status);
    }

    public String code() {
        return code;
    }
}
