package dev.parley.common.problem;

/** Stable machine codes of every problem the public API can answer. Never renamed once released. */
public enum ProblemCode {
    MALFORMED_JSON(400, "Malformed JSON body"),
    VALIDATION_FAILED(400, "Request validation failed"),
    UNAUTHENTICATED(401, "Missing or invalid credentials"),
    FORBIDDEN(403, "Not allowed"),
    NOT_FOUND(404, "Resource not found"),
    SESSION_NOT_FOUND(404, "Session not found"),
    CONVERSATION_NOT_FOUND(404, "Conversation not found"),
    BOT_NOT_FOUND(404, "Bot not found"),
    BOT_VERSION_NOT_FOUND(404, "Bot version not found"),
    WEBHOOK_NOT_FOUND(404, "Webhook not found"),
    DELIVERY_NOT_FOUND(404, "Webhook delivery not found"),
    DOCUMENT_NOT_FOUND(404, "Knowledge document not found"),
    IMPORT_NOT_FOUND(404, "Knowledge import not found"),
    SOURCE_NOT_FOUND(404, "Knowledge URL source not found"),
    USER_NOT_FOUND(404, "User not found"),
    ERASURE_NOT_FOUND(404, "Erasure request not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    SESSION_EXPIRED(410, "Session expired"),
    CONFLICT(409, "Conflict"),
    DELIVERY_ERASED(409, "The delivery's payload was erased with its user"),
    BOT_VERSION_NOT_PUBLISHED(409, "Bot version not published"),
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INVALID_CURSOR(400, "Invalid cursor"),
    RATE_LIMITED(429, "Too many requests"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused with a different request"),
    IDEMPOTENCY_IN_FLIGHT(409, "A request with this idempotency key is still in progress"),
    INTERNAL(500, "Internal error"),
    UNAVAILABLE(503, "Service temporarily unavailable");

    private final int status;
    private final String title;

    ProblemCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The wire form of the code, for example {@code session_not_found}. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
