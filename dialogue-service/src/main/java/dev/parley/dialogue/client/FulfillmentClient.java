package dev.parley.dialogue.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.webhooks.StandardWebhooks;
import dev.parley.dialogue.flow.FlowModel;
import dev.parley.dialogue.flow.Fulfillment;
import io.smallrye.faulttolerance.api.Guard;

/**
 * Calls tenants' fulfillment endpoints: a signed JSON POST, time-boxed by the endpoint's timeout, repeated only
 * when repeating is safe (the request never reached the server, or the server answered 503/429 to say it did not
 * take it, or the endpoint declares itself idempotent), behind a circuit breaker per tenant and endpoint so a dead
 * endpoint fails fast instead of holding up every conversation.
 */
@ApplicationScoped
public class FulfillmentClient implements Fulfillment {

    private static final Logger LOG = Logger.getLogger(FulfillmentClient.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Guard> breakers = new ConcurrentHashMap<>();

    @Inject
    ObjectMapper json;

    @Override
    public Map<String, Object> call(String tenantId, String endpointName, FlowModel.Endpoint endpoint, String callId,
            Map<String, Object> payload) throws FulfillmentException {
        var breaker = breakers.computeIfAbsent(tenantId + " " + endpoint.url(), key -> Guard.create()
                .withDescription("fulfillment " + key)
                .withCircuitBreaker().requestVolumeThreshold(4).failureRatio(0.5).delay(10, ChronoUnit.SECONDS)
                .successThreshold(1)
                .onStateChange(state -> LOG.infof("Circuit of endpoint %s (tenant %s) is now %s", endpointName,
                        tenantId, state))
                .done().build());
        try {
            return breaker.call(() -> attempt(endpoint, callId, payload), JSON_ANSWER);
        } catch (FulfillmentException e) {
            throw e;
        } catch (Exception e) {
            throw new FulfillmentException(e instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException
                    ? "circuit open after repeated failures" : describe(e), e);
        }
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static final Class<Map<String, Object>> JSON_ANSWER = (Class) Map.class;

    private Map<String, Object> attempt(FlowModel.Endpoint endpoint, String callId, Map<String, Object> payload)
            throws Exception {
        String body = json.writeValueAsString(payload);
        Instant deadline = Instant.now().plusMillis(endpoint.timeout());
        String id = "call_" + java.util.UUID.nameUUIDFromBytes(callId.getBytes()).toString().replace("-", "");
        Exception last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.toMillis() < 50) {
                break;
            }
            long timestamp = Instant.now().getEpochSecond();
            var request = HttpRequest.newBuilder(URI.create(endpoint.url())).timeout(left)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header("User-Agent", "Parley-Fulfillment/1")
                    .header(StandardWebhooks.ID, id).header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
            if (endpoint.secret() != null) {
                request.header(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(endpoint.secret(), id, timestamp, body));
            }
            try {
                var response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body() == null || response.body().isBlank() ? Map.of()
                            : json.readValue(response.body(), JSON_OBJECT);
                }
                last = new IOException("HTTP " + status);
                if (status != 503 && status != 429 && !(Boolean.TRUE.equals(endpoint.idempotent()) && status >= 500)) {
                    break;
                }
            } catch (ConnectException notReached) {
                last = notReached;
            } catch (HttpTimeoutException timedOut) {
                last = timedOut;
                if (!Boolean.TRUE.equals(endpoint.idempotent())) {
                    break; // the endpoint may have acted: calling again could do it twice
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                throw new IOException("the answer is not a JSON object", notJson);
            }
        }
        throw last == null ? new HttpTimeoutException("no time left within " + endpoint.timeout() + " ms") : last;
    }

    private static String describe(Exception e) {
        return e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
