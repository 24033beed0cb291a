package dev.parley.gateway.service;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.BotAdminClient;
import dev.parley.gateway.security.Caller;

/** Bot administration for the caller's tenant (scope bots:manage), forwarded to dialogue-service. */
@ApplicationScoped
public class BotAdminService {

    static final String SCOPE = "bots:manage";

    @Inject
    @RestClient
    BotAdminClient bots;

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public List<BotAdminClient.Summary> list(Caller caller) {
        return bots.list(allowed(caller));
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public BotAdminClient.Saved save(Caller caller, String botId, String body, boolean yaml, boolean publish) {
        String tenant = allowed(caller);
        if (botId == null) {
            return yaml ? bots.createYaml(tenant, publish, body) : bots.createJson(tenant, publish, body);
        }
        return yaml ? bots.updateYaml(tenant, botId, publish, body) : bots.updateJson(tenant, botId, publish, body);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public BotAdminClient.Summary versions(Caller caller, String botId) {
        return bots.versions(allowed(caller), botId);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public BotAdminClient.Saved publish(Caller caller, String botId, int version) {
        return bots.publish(allowed(caller), botId, version);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public String export(Caller caller, String botId, Integer version, String format) {
        return bots.export(allowed(caller), botId, version, format);
    }

    private static String allowed(Caller caller) {
        if (!caller.may(SCOPE)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + SCOPE);
        }
        return caller.tenantId();
    }
}
