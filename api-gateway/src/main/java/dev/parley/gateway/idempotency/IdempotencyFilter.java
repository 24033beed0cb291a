package dev.parley.gateway.idempotency;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.RequestIds;
import dev.parley.gateway.config.SecurityConfig;
import dev.parley.gateway.repository.IdempotencyRepository;
import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.security.Caller;

/**
 * {@code Idempotency-Key} on every POST under /v1, whatever the endpoint. The first request with a key claims it
 * (a row in the gateway's database), runs, and its result (status, Location and Content-Type, body) is kept for
 * {@code parley.security.idempotency.keep-for} with a fingerprint of the request: method, path, query, the
 * credential and a SHA-256 of the body. A retry with the same fingerprint gets the stored result with
 * {@code Idempotent-Replayed: true} and runs nothing; the same key with another fingerprint is 422; a retry while
 * the first is still running is 409 with {@code Retry-After} (it does not wait, so no request thread is held).
 * A result that is our failure (5xx) is not kept: the key is released and a retry runs again. Kept bodies are
 * encrypted ({@link ResultSealer}), since some (a new API key) hold a secret.
 */
@ApplicationScoped
public class IdempotencyFilter {

    private static final Logger LOG = Logger.getLogger(IdempotencyFilter.class);
    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final String CLAIM = "parley.idempotency.claim";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final String[] KEPT_HEADERS = { HttpHeaders.LOCATION, HttpHeaders.CONTENT_TYPE };

    private record Claim(String tenantId, String key, String fingerprint) {
    }

    @Inject
    IdempotencyRepository records;
    @Inject
    SecurityConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    ResultSealer sealer;

    private ScheduledExecutorService purger;

    @PostConstruct
    void start() {
        long every = config.idempotency().purgeEvery().toMillis();
        purger = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("idempotency-purge").daemon().factory());
        purger.scheduleWithFixedDelay(this::purge, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        purger.shutdownNow();
    }

    void purge() {
        try {
            int purged = records.purgeExpired();
            if (purged > 0) {
                LOG.debugf("Purged %d expired idempotency records", purged);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not purge idempotency records: %s", e.toString());
        }
    }

    @ServerRequestFilter(priority = Priorities.USER + 100, readBody = true)
    public Response before(ContainerRequestContext request) throws IOException {
        if (!HttpMethod.POST.equals(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/v1/")) {
            return null;
        }
        String key = request.getHeaderString(HEADER);
        Caller caller = AuthenticationFilter.caller(request);
        if (key == null || caller == null) {
            return null;
        }
        if (!VALID_KEY.matcher(key).matches()) {
            return problem(request, ProblemCode.VALIDATION_FAILED,
                    HEADER + " must be 1 to 255 visible ASCII characters (a UUID is a good choice)").build();
        }
        byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
        request.setEntityStream(new ByteArrayInputStream(body));
        String fingerprint = fingerprint(request, caller, body);
        var idempotency = config.idempotency();
        for (int attempt = 0; attempt < 3; attempt++) {
            if (records.claim(caller.tenantId(), key, fingerprint, idempotency.keepFor(), idempotency.inFlightTimeout())) {
                request.setProperty(CLAIM, new Claim(caller.tenantId(), key, fingerprint));
                return null;
            }
            var stored = records.find(caller.tenantId(), key);
            if (stored.isEmpty()) {
                continue; // released or expired between the two statements: claim again
            }
            if (!stored.get().fingerprint().equals(fingerprint)) {
                return problem(request, ProblemCode.IDEMPOTENCY_KEY_REUSED, "This " + HEADER
                        + " was used for a different request (method, path, credential or body differ); use a new key")
                        .build();
            }
            if (!stored.get().completed()) {
                return problem(request, ProblemCode.IDEMPOTENCY_IN_FLIGHT,
                        "The first request with this " + HEADER + " is still running; retry shortly")
                        .header("Retry-After", "1").build();
            }
            return replay(stored.get(), sealer.open(caller.tenantId(), key, stored.get().body()));
        }
        return problem(request, ProblemCode.IDEMPOTENCY_IN_FLIGHT,
                "The first request with this " + HEADER + " is still running; retry shortly")
                .header("Retry-After", "1").build();
    }

    @ServerResponseFilter(priority = Priorities.USER + 100)
    public void after(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIM) instanceof Claim claim)) {
            return;
        }
        request.removeProperty(CLAIM);
        try {
            if (response.getStatus() >= 500) {
                records.release(claim.tenantId(), claim.key(), claim.fingerprint());
                return;
            }
            var headers = new LinkedHashMap<String, String>();
            for (String name : KEPT_HEADERS) {
                String value = response.getHeaderString(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            if (!headers.containsKey(HttpHeaders.CONTENT_TYPE) && response.getMediaType() != null) {
                headers.put(HttpHeaders.CONTENT_TYPE, response.getMediaType().toString());
            }
            Object entity = response.getEntity();
            byte[] body = entity == null ? new byte[0]
                    : entity instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                            : entity instanceof byte[] bytes ? bytes : json.writeValueAsBytes(entity);
            records.complete(claim.tenantId(), claim.key(), claim.fingerprint(), response.getStatus(),
                    json.writeValueAsString(headers), sealer.seal(claim.tenantId(), claim.key(), body));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not keep the result for an idempotency key; releasing it: %s", e.toString());
            try {
                records.release(claim.tenantId(), claim.key(), claim.fingerprint());
            } catch (RuntimeException ignored) {
                // the in-flight claim times out after parley.security.idempotency.in-flight-timeout
            }
        }
    }

    private Response replay(IdempotencyRepository.Stored stored, byte[] body) throws IOException {
        Map<String, String> headers = stored.headers() == null ? Map.of()
                : json.readValue(stored.headers(), new TypeReference<Map<String, String>>() {
                });
        var builder = Response.status(stored.status()).header(REPLAYED, "true");
        headers.forEach(builder::header);
        if (body.length > 0) {
            builder.entity(body);
        }
        return builder.build();
    }

    private static String fingerprint(ContainerRequestContext request, Caller caller, byte[] body) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            var bodyHash = MessageDigest.getInstance("SHA-256").digest(body);
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            String subject = request.getMethod() + '\n' + request.getUriInfo().getPath() + '\n'
                    + (query == null ? "" : query) + '\n' + caller.kind() + ':' + caller.keyId() + '\n'
                    + HexFormat.of().formatHex(bodyHash);
            return HexFormat.of().formatHex(digest.digest(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response.ResponseBuilder problem(ContainerRequestContext request, ProblemCode code, String detail) {
        var problem = Problem.of(code, detail, request.getUriInfo().getPath(), RequestIds.of(request));
        return Response.status(code.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
