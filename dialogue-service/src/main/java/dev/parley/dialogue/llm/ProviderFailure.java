package dev.parley.dialogue.llm;

/**
 * A provider could not answer. The message names the provider, the HTTP status and the provider's own error
 * message; it never carries a key, a header or a URL with a query string.
 */
public class ProviderFailure extends RuntimeException {

    public enum Kind {
        /** The provider answered with an error status. */
        HTTP_STATUS,
        /** The connection failed or broke. */
        IO,
        /** The provider answered something that is not its documented shape. */
        MALFORMED
    }

    private final String provider;
    private final Kind kind;
    private final int status;

    public ProviderFailure(String provider, Kind kind, int status, String message, Throwable cause) {
        super(provider + ": " + message, cause, false, false);
        this.provider = provider;
        this.kind = kind;
        this.status = status;
    }

    public ProviderFailure(String provider, Kind kind, String message) {
        this(provider, kind, 0, message, null);
    }

    public String provider() {
        return provider;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the provider answered, 0 when there was none. */
    public int status() {
        return status;
    }
}
