package dev.parley.dialogue.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import dev.parley.dialogue.llm.GeneratedAnswer.Attempt;
import dev.parley.dialogue.llm.GeneratedAnswer.Outcome;

/**
 * Walks a bot's route for a task: each endpoint in order, each behind its guard, the next one when it fails, and
 * the local engine when none answered. A stream that already sent text to the user is not restarted on another
 * provider (the user would see two answers); its text so far is kept, marked {@link FinishReason#INTERRUPTED}.
 */
public final class ModelRouter {

    private static final Logger LOG = Logger.getLogger(ModelRouter.class);

    /** The tenant's decrypted key for a credential name, when one is stored. */
    @FunctionalInterface
    public interface Credentials {
        Optional<String> apiKey(String tenantId, String credentialName);
    }

    /** Builds the adapter for an endpoint; replaced in tests to count calls. */
    @FunctionalInterface
    public interface ProviderFactory {
        LlmProvider create(ModelEndpoint endpoint, String apiKey, Duration timeout);
    }

    private final ProviderGuards guards;
    private final LocalEngine local;
    private final Credentials credentials;
    private final ProviderFactory factory;

    public ModelRouter(ProviderGuards guards, LocalEngine local, Credentials credentials, ProviderFactory factory) {
        this.guards = guards;
        this.local = local;
        this.credentials = credentials;
        this.factory = factory;
    }

    /**
     * Answers with the first endpoint of the route that can; {@code tokens} receives the text as it is generated
     * when not null (streaming), otherwise each provider is called without streaming.
     */
    public GeneratedAnswer answer(String tenantId, BotModels models, Task task, LlmRequest request,
            Consumer<String> tokens) {
        var attempts = new ArrayList<Attempt>();
        for (BotModels.Route route : models.routeFor(task)) {
            ModelEndpoint endpoint = route.endpoint();
            if (endpoint == null || ProviderKind.find(endpoint.provider()).isEmpty()) {
                LOG.warnf("Tenant %s: %s route names an unusable endpoint %s; skipped", tenantId, task.wire(),
                        route.name());
                continue;
            }
            if (endpoint.kind() == ProviderKind.LOCAL) {
                break;
            }
            long start = System.nanoTime();
            Optional<String> key = Optional.empty();
            if (endpoint.credential() != null) {
                key = credentials.apiKey(tenantId, endpoint.credential());
                if (key.isEmpty()) {
                    attempts.add(attempt(route, Outcome.NO_CREDENTIAL, "no key stored as " + endpoint.credential(),
                            start));
                    continue;
                }
            }
            LlmProvider provider = factory.create(endpoint, key.orElse(null), guards.timeout(endpoint));
            var streamed = new StringBuilder();
            Consumer<String> counted = tokens == null ? null : piece -> {
                synchronized (streamed) {
                    streamed.append(piece);
                }
                tokens.accept(piece);
            };
            try {
                LlmResponse response = guards.guardFor(tenantId, route.name(), endpoint).call(
                        () -> counted == null ? provider.generate(request) : provider.stream(request, counted));
                if (response.text().isBlank()) {
                    attempts.add(attempt(route, Outcome.EMPTY, "finish reason " + response.finishReason(), start));
                    continue;
                }
                attempts.add(attempt(route, Outcome.ANSWERED, response.finishReason().name(), start));
                return new GeneratedAnswer(response, attempts);
            } catch (CircuitBreakerOpenException e) {
                attempts.add(attempt(route, Outcome.CIRCUIT_OPEN, "circuit open", start));
            } catch (TimeoutException e) {
                Thread.interrupted(); // the guard interrupted this thread to stop the call; the next call must not see it
                attempts.add(attempt(route, Outcome.TIMED_OUT, "no answer within " + guards.timeout(endpoint), start));
            } catch (Exception e) {
                String detail = e instanceof ProviderFailure ? e.getMessage() : e.getClass().getSimpleName();
                attempts.add(attempt(route, Outcome.FAILED, detail, start));
            }
            Attempt failed = attempts.get(attempts.size() - 1);
            LOG.warnf("Tenant %s: %s endpoint %s (%s) %s: %s", tenantId, task.wire(), route.name(),
                    endpoint.provider(), failed.outcome(), failed.detail());
            String partial;
            synchronized (streamed) {
                partial = streamed.toString();
            }
            if (!partial.isEmpty()) {
                // Text already reached the user; a second provider would start over. Keep what was said.
                return new GeneratedAnswer(new LlmResponse(partial,
                        endpoint.kind().wire(), endpoint.model(), null, FinishReason.INTERRUPTED, request.sources()),
                        attempts);
            }
        }
        LlmProvider engine = local.forTask(task);
        long start = System.nanoTime();
        LlmResponse response = tokens == null ? engine.generate(request) : engine.stream(request, tokens);
        attempts.add(new Attempt("local", LocalEngine.NAME, LocalEngine.MODEL, Outcome.ANSWERED,
                response.finishReason().name(), (System.nanoTime() - start) / 1_000_000));
        return new GeneratedAnswer(response, attempts);
    }

    private static Attempt attempt(BotModels.Route route, Outcome outcome, String detail, long startNanos) {
        return new Attempt(route.name(), route.endpoint().provider(), route.endpoint().model(), outcome, detail,
                (System.nanoTime() - startNanos) / 1_000_000);
    }
}
