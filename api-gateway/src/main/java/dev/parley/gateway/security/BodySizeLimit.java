package dev.parley.gateway.security;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused with a 413 problem+json before
 * it is read (the HTTP layer's own refusal, for a chunked body that grows too big, has no body).
 */
@ApplicationScoped
public class BodySizeLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBodySize;

    void install(@Observes Router router, ObjectMapper json) {
        long limit = maxBodySize.asLongValue();
        router.route().order(-100).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException malformed) {
                announced = -1;
            }
            if (announced <= limit) {
                context.next();
                return;
            }
            String given = context.request().getHeader(RequestIds.HEADER);
            String requestId = given != null && given.matches("[A-Za-z0-9._:-]{1,100}") ? given : UUID.randomUUID().toString();
            var problem = Problem.of(ProblemCode.PAYLOAD_TOO_LARGE,
                    "The body is larger than " + limit + " bytes", context.request().path(), requestId);
            String body;
            try {
                body = json.writeValueAsString(problem);
            } catch (JsonProcessingException e) {
                body = "{}";
            }
            context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader(RequestIds.HEADER, requestId).end(body);
        });
    }
}
