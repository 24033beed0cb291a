package dev.parley.dialogue.llm;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;

/**
 * One SmallRye Fault Tolerance guard (timeout + circuit breaker) per tenant and model endpoint. The targets are
 * chosen at run time from bot definitions, so the guards are built programmatically; a tenant whose provider
 * fails does not open the circuit for another tenant using the same provider with its own key. A changed endpoint
 * (other model, URL or credential) gets a fresh guard.
 */
public final class ProviderGuards {

    private final GuardSettings settings;
    private final Map<String, Entry> guards = new ConcurrentHashMap<>();

    public ProviderGuards(GuardSettings settings) {
        this.settings = settings;
    }

    record Entry(TypedGuard<LlmResponse> guard, Duration timeout, CircuitBreakerState[] state) {
    }

    public TypedGuard<LlmResponse> guardFor(String tenantId, String endpointName, ModelEndpoint endpoint) {
        return entry(tenantId, endpointName, endpoint).guard();
    }

    /** The circuit state of an endpoint for a tenant, {@code CLOSED} before its first call. */
    public CircuitBreakerState state(String tenantId, String endpointName, ModelEndpoint endpoint) {
        Entry entry = guards.get(key(tenantId, endpointName, endpoint));
        return entry == null ? CircuitBreakerState.CLOSED : entry.state()[0];
    }

    public Duration timeout(ModelEndpoint endpoint) {
        return endpoint.timeoutMillis() == null ? settings.defaultTimeout()
                : Duration.ofMillis(endpoint.timeoutMillis());
    }

    private Entry entry(String tenantId, String endpointName, ModelEndpoint endpoint) {
        return guards.computeIfAbsent(key(tenantId, endpointName, endpoint), key -> {
            Duration timeout = timeout(endpoint);
            var state = new CircuitBreakerState[] { CircuitBreakerState.CLOSED };
            TypedGuard<LlmResponse> guard = TypedGuard.create(LlmResponse.class)
                    .withDescription("LLM endpoint " + endpointName + " of tenant " + tenantId)
                    .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                    .withCircuitBreaker()
                    .requestVolumeThreshold(settings.requestVolume())
                    .failureRatio(settings.failureRatio())
                    .delay(settings.openFor().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .onStateChange(changed -> state[0] = changed)
                    .done()
                    .build();
            return new Entry(guard, timeout, state);
        });
    }

    private static String key(String tenantId, String endpointName, ModelEndpoint endpoint) {
        return String.join("\u0000", tenantId, endpointName, endpoint.provider(), String.valueOf(endpoint.model()),
                String.valueOf(endpoint.effectiveBaseUrl()), String.valueOf(endpoint.credential()),
                String.valueOf(endpoint.timeoutMillis()));
    }
}
