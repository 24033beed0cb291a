package dev.parley.dialogue.llm;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.dialogue.llm.credentials.ProviderCredentialStore;
import dev.parley.dialogue.llm.providers.Providers;

/**
 * The single entry point of response generation for the dialogue: the bot's route for the task, each provider
 * guarded by a timeout and a circuit breaker of its own (per tenant), then the local engine. Blocking: call it on
 * a worker or virtual thread, as the turn path already is.
 */
@ApplicationScoped
public class ResponseGenerator {

    private final ModelRouter router;

    @Inject
    public ResponseGenerator(LlmConfig config, ProviderCredentialStore credentials) {
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
        return router.answer(tenantId, models == null ? BotModels.NONE : models, task, request, null);
    }

    /** As {@link #answer}, sending the text to {@code tokens} piece by piece as the provider generates it. */
    public GeneratedAnswer stream(String tenantId, BotModels models, Task task, LlmRequest request,
            Consumer<String> tokens) {
        return router.answer(tenantId, models == null ? BotModels.NONE : models, task, request, tokens);
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
