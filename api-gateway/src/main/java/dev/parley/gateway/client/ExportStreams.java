package dev.parley.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;

/**
 * Opens a streamed export on session-service and hands back the body as a stream, so the gateway passes rows
 * through as they come and never holds a whole export (which can be millions of rows). A REST client would read
 * the whole body before returning it; this uses the JDK client, whose body stream follows the network.
 * Fault tolerance covers opening the stream (until the status line and headers arrive), not reading it.
 */
@ApplicationScoped
public class ExportStreams {

    /** An open export: the downstream's media type, and the body still to read (close it when done). */
    public record Stream(String mediaType, String contentDisposition, InputStream body) {
    }

    @ConfigProperty(name = "quarkus.rest-client.users.url")
    String sessionUrl;
    @Inject
    ObjectMapper json;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Stream open(String tenantId, String path, Map<String, String> query) {
        var parameters = new LinkedHashMap<String, String>();
        query.forEach((k, v) -> {
            if (v != null) {
                parameters.put(k, v);
            }
        });
        String queryString = parameters.isEmpty() ? "" : "?" + parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        var uri = URI.create(sessionUrl.replaceAll("/+$", "") + "/internal/tenants/" + encode(tenantId) + path
                + queryString);
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ProblemException(ProblemCode.UNAVAILABLE, "A backing service is unavailable; retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemCode.UNAVAILABLE, "A backing service is unavailable; retry shortly");
        }
        int status = response.statusCode();
        if (status == 200) {
            return new Stream(response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                    response.headers().firstValue("Content-Disposition").orElse(null), response.body());
        }
        try (InputStream body = response.body()) {
            if (status >= 400 && status < 500) {
                var problem = json.readValue(body.readNBytes(64 * 1024), Problem.class);
                throw new ProblemException(ProblemCode.valueOf(problem.code().toUpperCase(java.util.Locale.ROOT)),
                        problem.detail());
            }
        } catch (IOException | RuntimeException unreadable) {
            if (unreadable instanceof ProblemException problem) {
                throw problem;
            }
        }
        throw new ProblemException(ProblemCode.UNAVAILABLE, "A backing service is unavailable; retry shortly");
    }

    /** Path segments and query values are the caller's text: always encoded, never spliced in raw. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
