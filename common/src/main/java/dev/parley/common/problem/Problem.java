package dev.parley.common.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail with Parley's extensions: a stable machine {@code code} and the
 * {@code requestId} to quote to support.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String code,
        String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://parley.dev/problems/";

    /** One invalid field of a request body. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemCode code, String detail, String instance, String requestId) {
        return new Problem(TYPE_BASE + code.slug(), code.title(), code.status(), detail, instance, code.slug(),
                requestId, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, code, requestId, fieldErrors);
    }
}
