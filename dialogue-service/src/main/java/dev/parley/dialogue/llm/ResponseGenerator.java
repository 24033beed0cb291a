package dev.parley.dialogue.llm;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.dialogue.llm.credentials.ProviderCredentialStore;
import dev.parley.dialogue.llm.providers.Providers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The single entry point of response generation for the dialogue: the bot's route for the task, each provider
 * guarded by a timeout and a circuit breaker of its own (per tenant), then the local engine. Blocking: call it on
 * a worker or virtual thread, as the turn path already is.
 */
@ApplicationScoped
public class ResponseGenerator {

    /** Every endpoint tried, by task, provider and outcome: how often each provider fails and how slow it is. */
    static final String CALLS_METRIC = "parley.llm.calls";

    private final ModelRouter router;
    private final MeterRegistry metrics;

    @Inject
    public ResponseGenerator(LlmConfig config, ProviderCredentialStore credentials, MeterRegistry metrics) {
        this.metrics = metrics;
        var settings = new GuardSettings(config.timeout(), config.circuitBreaker().requestVolume(),
                config.circuitBreaker().failureRatio(), config.circuitBreaker().delay());
        var http = Providers.httpClient(config.connectTimeout());
        this.router = new ModelRouter(new ProviderGuards(settings), new LocalEngine(), credentials::apiKey,
                (endpoint, apiKey, timeout) -> Providers.create(http, endpoint, apiKey, timeout));
    }

    /**
     * Answers {@code request} for {@code task} with the models of the bot ({@link BotModels#NONE} when the bot
     * configures none: then the local engine answers).
     */
    public GeneratedAnswer answer(String tenantId, BotModels models, Task task, LlmRequest request) {
        return measured(task, router.answer(tenantId, models == null ? BotModels.NONE : models, task, request, null));
    }

    /** As {@link #answer}, sending the text to {@code tokens} piece by piece as the provider generates it. */
    public GeneratedAnswer stream(String tenantId, BotModels models, Task task, LlmRequest request,
            Consumer<String> tokens) {
        return measured(task, router.answer(tenantId, models == null ? BotModels.NONE : models, task, request,
                tokens));
    }

    private GeneratedAnswer measured(Task task, GeneratedAnswer answer) {
        for (GeneratedAnswer.Attempt attempt : answer.attempts()) {
            Timer.builder(CALLS_METRIC).tag("task", task.wire()).tag("provider", attempt.provider())
                    .tag("outcome", attempt.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .register(metrics).record(java.time.Duration.ofMillis(attempt.millis()));
        }
        return answer;
    }

    /**
     * The intent a model names for {@code text} among {@code intents}, when the bot routes intent classification to
     * a model and it names one of them; empty otherwise (the local engine leaves classification to the NLU).
     */
    public Optional<String> classifyIntent(String tenantId, BotModels models, List<String> intents, String text) {
        if (intents.isEmpty()) {
            return Optional.empty();
        }
        GeneratedAnswer answer = answer(tenantId, models, Task.INTENT_CLASSIFICATION,
                TaskPrompts.intentClassification(intents, text));
        return TaskPrompts.intentOf(answer.response(), intents);
    }

    /** A summary of the conversation for the human agent taking over; the local engine quotes the user. */
    public GeneratedAnswer summariseHandoff(String tenantId, BotModels models, List<ChatMessage> conversation) {
        return answer(tenantId, models, Task.HANDOFF_SUMMARY, TaskPrompts.handoffSummary(conversation));
    }
}
