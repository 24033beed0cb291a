package dev.parley.gateway.client;

import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.parley.common.problem.ProblemException;

/**
 * {@link UserClient} with time limits, retries of idempotent calls and a circuit breaker; a caller's mistake (a
 * 4xx problem) is neither retried nor counted against session-service. Starting an erasure is not retried: a
 * second request would be a second erasure (harmless, but confusing to follow).
 */
@ApplicationScoped
public class UserBackend {

    /** The result of a PUT: whether it created the user, and the user. */
    public record Written(boolean created, Map<String, Object> user) {
    }

    @Inject
    @RestClient
    UserClient users;

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> user(String tenantId, String userId) {
        return users.user(tenantId, userId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    @SuppressWarnings("unchecked")
    public Written putUser(String tenantId, String userId, Map<String, Object> attributes) {
        try (var response = users.putUser(tenantId, userId, new UserClient.UserBody(attributes))) {
            return new Written(response.getStatus() == 201, response.readEntity(Map.class));
        }
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> patchUser(String tenantId, String userId, Map<String, Object> attributes) {
        return users.patchUser(tenantId, userId, new UserClient.UserBody(attributes));
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> erase(String tenantId, String userId) {
        return users.erase(tenantId, userId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> erasure(String tenantId, String userId, String erasureId) {
        return userId == null ? users.erasure(tenantId, erasureId) : users.erasureOfUser(tenantId, userId, erasureId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> conversations(String tenantId, String userId, String status, String botId,
            String from, String to, String cursor, int limit) {
        return users.conversations(tenantId, userId, status, botId, from, to, cursor, limit);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> close(String tenantId, String conversationId, String outcome) {
        return users.close(tenantId, conversationId, new UserClient.Close(outcome));
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> reopen(String tenantId, String conversationId) {
        return users.reopen(tenantId, conversationId);
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> summary(String tenantId, String from, String to) {
        return users.summary(tenantId, from, to);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> retention(String tenantId) {
        return users.retention(tenantId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> setRetention(String tenantId, Integer days) {
        return users.setRetention(tenantId, new UserClient.RetentionBody(days));
    }
}
