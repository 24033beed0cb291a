package dev.parley.gateway.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;

/**
 * Bounds on the shape of every JSON body sent to /v1, checked by a streaming pass before anything is bound: nesting
 * depth, the length of one string, number and property name. The total size is bounded by
 * {@code quarkus.http.limits.max-body-size} (413); the fields of each body by Hibernate Validator (400). Applied to
 * requests only, so data already stored (read back from other services) is never refused.
 */
public class InputLimits {

    public static final int MAX_DEPTH = 20;
    public static final int MAX_STRING_LENGTH = 65_536;
    public static final int MAX_NUMBER_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            .build();

    @ServerRequestFilter(priority = Priorities.USER, readBody = true)
    public Response check(ContainerRequestContext request) throws IOException {
        if (!request.getUriInfo().getPath().startsWith("/v1/") || !request.hasEntity()
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(request.getMediaType())) {
            return null;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.VALUE_STRING) {
                    parser.getText(); // materialises the string, so its length is checked
                } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    parser.getNumberValue();
                }
            }
        } catch (JsonProcessingException | IllegalArgumentException tooBigOrMalformed) {
            String why = tooBigOrMalformed.getMessage() == null ? "" : tooBigOrMalformed.getMessage();
            String detail = why.contains("depth") ? "The body nests deeper than " + MAX_DEPTH + " levels"
                    : why.contains("String value length") ? "A string in the body is longer than " + MAX_STRING_LENGTH + " characters"
                    : why.contains("Number value length") ? "A number in the body has more than " + MAX_NUMBER_LENGTH + " digits"
                    : why.contains("Name length") ? "A property name in the body is longer than " + MAX_NAME_LENGTH + " characters"
                    : null;
            if (detail == null) {
                return null; // plain malformed JSON: the JSON mappers describe it precisely
            }
            var problem = Problem.of(ProblemCode.VALIDATION_FAILED, detail, request.getUriInfo().getPath(),
                    RequestIds.of(request));
            return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        return null;
    }
}
