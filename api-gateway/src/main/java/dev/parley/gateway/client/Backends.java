package dev.parley.gateway.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.parley.common.problem.ProblemException;

/**
 * The gateway's calls to internal services, with time limits, retries of idempotent reads and circuit breakers.
 * A caller's mistake (a 4xx problem) is neither retried nor counted against the service. Sessions and bots are
 * cached: they are read on every message and change rarely.
 */
@ApplicationScoped
public class Backends {

    @Inject
    @RestClient
    SessionClient sessions;
    @Inject
    @RestClient
    DialogueClient dialogue;

    private final Cache<String, SessionInfo> sessionCache = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Cache<String, DialogueClient.BotSummary> botCache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public SessionInfo openSession(String tenantId, String userId, String botId, String conversationId) {
        SessionInfo session = sessions.open(tenantId, new SessionClient.OpenSession(userId, botId, conversationId));
        sessionCache.put(tenantId + '\u0000' + session.sessionId(), session);
        return session;
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public SessionInfo session(String tenantId, String sessionId) {
        return sessionCache.get(tenantId + '\u0000' + sessionId, key -> sessions.session(tenantId, sessionId));
    }

    /**
     * Drops the cached sessions of an erased user, so that a message to one of them is refused (session-service no
     * longer knows it) instead of being accepted from the cache.
     */
    public void forgetUser(String tenantId, String userId) {
        sessionCache.asMap().values().removeIf(s -> tenantId.equals(s.tenantId()) && userId.equals(s.userId()));
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public DialogueClient.BotSummary bot(String tenantId, String botId) {
        return botCache.get(tenantId + '\u0000' + botId, key -> dialogue.bot(tenantId, botId));
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public ConversationInfo.WithPage conversation(String tenantId, String conversationId, int limit) {
        return sessions.conversation(tenantId, conversationId, limit);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public TranscriptPage messages(String tenantId, String conversationId, String before, String after, int limit) {
        return sessions.messages(tenantId, conversationId, before, after, limit);
    }

    /** Parsing changes nothing, so a retry is safe. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 50, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public BotParse.Result parse(String tenantId, String botId, BotParse.Request request) {
        return dialogue.parse(tenantId, botId, request);
    }
}
