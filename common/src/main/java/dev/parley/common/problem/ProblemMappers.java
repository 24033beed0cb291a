package dev.parley.common.problem;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into RFC 9457 problem+json. Bad input is a 4xx with a precise detail; anything unexpected
 * is a 500 that names the request id and never carries a stack trace or an exception message.
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private ProblemMappers() {
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    static Problem problem(ProblemCode code, String detail, UriInfo uri, ContainerRequestContext request) {
        return Problem.of(code, detail, uri == null ? null : uri.getPath(), RequestIds.of(request));
    }

    @Provider
    public static class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(ProblemException e) {
            var problem = problem(e.code(), e.getMessage(), uri, request);
            return respond(e.errors().isEmpty() ? problem : problem.withErrors(e.errors()));
        }
    }

    @Provider
    public static class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                    .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field))
                    .toList();
            String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid";
            return respond(problem(ProblemCode.VALIDATION_FAILED, detail, uri, request).withErrors(errors));
        }

        /** {@code send.request.text} becomes {@code text}: callers know their body's fields, not our methods. */
        private static String field(ConstraintViolation<?> violation) {
            String path = violation.getPropertyPath().toString();
            String[] parts = path.split("\\.");
            return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : parts[parts.length - 1];
        }
    }

    @Provider
    public static class JsonMapper implements ExceptionMapper<JsonProcessingException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(JsonProcessingException e) {
            return respond(problem(codeOf(e), describe(e), uri, request));
        }

        static ProblemCode codeOf(JsonProcessingException e) {
            return e instanceof MismatchedInputException ? ProblemCode.VALIDATION_FAILED : ProblemCode.MALFORMED_JSON;
        }

        static String describe(JsonProcessingException e) {
            if (e instanceof UnrecognizedPropertyException unknown) {
                return "Unknown field '" + unknown.getPropertyName() + "'";
            }
            if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
                var mismatch = (MismatchedInputException) e;
                String field = mismatch.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                        .orElse("body");
                String expected = mismatch.getTargetType() == null ? "another type"
                        : mismatch.getTargetType().getSimpleName();
                return "Field '" + field + "' has the wrong type (expected " + expected + ")";
            }
            var location = e.getLocation();
            return location == null ? "The body is not valid JSON"
                    : "The body is not valid JSON (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
    }

    /** More specific than Quarkus's own mapper for this type, which answers 400 with no body. */
    @Provider
    public static class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(MismatchedInputException e) {
            return respond(problem(ProblemCode.VALIDATION_FAILED, JsonMapper.describe(e), uri, request));
        }
    }

    @Provider
    public static class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException json) {
                return respond(problem(JsonMapper.codeOf(json), JsonMapper.describe(json), uri, request));
            }
            ProblemCode code = switch (status) {
                case 400 -> ProblemCode.MALFORMED_JSON;
                case 401 -> ProblemCode.UNAUTHENTICATED;
                case 403 -> ProblemCode.FORBIDDEN;
                case 404 -> ProblemCode.NOT_FOUND;
                case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
                case 406 -> ProblemCode.NOT_ACCEPTABLE;
                case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
                case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
                case 429 -> ProblemCode.RATE_LIMITED;
                case 503 -> ProblemCode.UNAVAILABLE;
                default -> status >= 500 ? ProblemCode.INTERNAL : ProblemCode.VALIDATION_FAILED;
            };
            String detail = status == 400 ? "The request could not be read" : code.title();
            Problem problem = problem(code, detail, uri, request);
            if (code.status() != status) {
                problem = new Problem(problem.type(), problem.title(), status, problem.detail(), problem.instance(),
                        problem.code(), problem.requestId(), null);
            }
            return respond(problem);
        }
    }

    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<Exception> {
        @Context
        UriInfo uri;
        @Context
        ContainerRequestContext request;

        @Override
        public Response toResponse(Exception e) {
            Problem problem = problem(ProblemCode.INTERNAL, "An unexpected error occurred; quote the request id to support",
                    uri, request);
            LOG.errorf(e, "Unexpected error on %s (request %s)", problem.instance(), problem.requestId());
            return respond(problem);
        }
    }
}
