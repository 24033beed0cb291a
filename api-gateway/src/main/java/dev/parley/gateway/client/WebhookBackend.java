package dev.parley.gateway.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.common.problem.ProblemException;

/**
 * The gateway's calls to webhook-service: time limits, retries of reads only (a retried create would make a second
 * endpoint), and a circuit breaker that a caller's mistake (a 4xx problem) does not trip.
 */
@ApplicationScoped
public class WebhookBackend {

    @Inject
    @RestClient
    WebhookClient webhooks;

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode create(String tenantId, Object request) {
        return webhooks.create(tenantId, request);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode list(String tenantId) {
        return webhooks.list(tenantId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode get(String tenantId, String id) {
        return webhooks.get(tenantId, id);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode update(String tenantId, String id, Object request) {
        return webhooks.update(tenantId, id, request);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public void delete(String tenantId, String id) {
        webhooks.delete(tenantId, id);
    }

    /** enable, disable, rotate-secret, recover: not retried (a rotation twice would lose the first secret). */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode action(String tenantId, String id, String action, Object request) {
        return webhooks.action(tenantId, id, action, request);
    }

    /** The ping waits for the first attempt, which may take the whole delivery timeout (15 s). */
    @Timeout(value = 25, unit = ChronoUnit.SECONDS)
    public JsonNode test(String tenantId, String id) {
        return webhooks.action(tenantId, id, "test", null);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode deliveries(String tenantId, String id, String status, String eventType, String since, String until,
            String cursor, int limit) {
        return webhooks.deliveries(tenantId, id, status, eventType, since, until, cursor, limit);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode delivery(String tenantId, String id, String deliveryId) {
        return webhooks.delivery(tenantId, id, deliveryId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public JsonNode replay(String tenantId, String id, String deliveryId) {
        return webhooks.replay(tenantId, id, deliveryId);
    }
}
