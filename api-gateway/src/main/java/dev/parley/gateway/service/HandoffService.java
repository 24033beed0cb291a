package dev.parley.gateway.service;

import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.HandoffClient;
import dev.parley.gateway.security.Caller;
import dev.parley.gateway.security.Scopes;

/** Human handoff and the dialogue state of a conversation, for the caller's tenant only. */
@ApplicationScoped
public class HandoffService {

    static final String WRITE = "conversations:write";
    static final String READ = "conversations:read";

    @Inject
    @RestClient
    HandoffClient dialogue;

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Map<String, Object> dialogue(Caller caller, String conversationId) {
        require(caller, READ);
        return dialogue.dialogue(caller.tenantId(), conversationId);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public HandoffClient.HandoffStatus handOff(Caller caller, String conversationId, String reason) {
        require(caller, WRITE);
        return dialogue.handOff(caller.tenantId(), conversationId, new HandoffClient.HandoffRequest(reason));
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public HandoffClient.HandoffStatus release(Caller caller, String conversationId) {
        require(caller, WRITE);
        return dialogue.release(caller.tenantId(), conversationId);
    }

    /** Moves a conversation to another published version of its bot (scope bots:manage). */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public HandoffClient.BotVersionMoved moveBotVersion(Caller caller, String conversationId, int version) {
        require(caller, Scopes.BOTS_MANAGE);
        return dialogue.moveBotVersion(caller.tenantId(), conversationId, new HandoffClient.BotVersionRequest(version));
    }

    private static void require(Caller caller, String scope) {
        if (!caller.may(scope)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + scope);
        }
    }
}
