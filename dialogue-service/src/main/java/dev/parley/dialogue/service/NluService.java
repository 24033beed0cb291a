package dev.parley.dialogue.service;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.dialogue.config.DialogueConfig;
import dev.parley.dialogue.config.NluConfig;
import dev.parley.dialogue.nlu.BotNlu;
import dev.parley.dialogue.nlu.EmbeddingCache;
import dev.parley.dialogue.nlu.EmbeddingModelChoice;
import dev.parley.dialogue.nlu.EntityExtractor;
import dev.parley.dialogue.nlu.IntentTrainer;
import dev.parley.dialogue.nlu.NluResult;
import dev.parley.dialogue.nlu.OnnxSentenceEncoder;
import io.quarkus.runtime.StartupEvent;

/**
 * NLU for every bot version this replica answers for. The embedding model loads in the background at start-up;
 * a bot version's classifier trains in the background the first time the version is used (or when it is
 * published or installed), one training at a time. Until its classifier is ready a version answers with kNN or
 * TF-IDF, so a turn never waits for a model.
 */
@ApplicationScoped
public class NluService {

    private static final Logger LOG = Logger.getLogger(NluService.class);

    @Inject
    NluConfig config;
    @Inject
    DialogueConfig dialogueConfig;

    private final Map<String, BotNlu> bots = new ConcurrentHashMap<>();
    private final ExecutorService training = Executors.newSingleThreadExecutor(runnable -> {
        var thread = new Thread(runnable, "nlu-training");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });
    private volatile EmbeddingCache encoder;
    private boolean modelFailed;
    private volatile Clock clock = Clock.systemUTC();

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            training.submit(this::model);
        }
    }

    /** Loads the model on first call; only ever called on the training thread. */
    private EmbeddingCache model() {
        if (encoder == null && !modelFailed) {
            loadModel();
        }
        return encoder;
    }

    private void loadModel() {
        try {
            var choice = EmbeddingModelChoice.of(config.model());
            long started = System.nanoTime();
            var model = new OnnxSentenceEncoder(choice, config.inferenceThreads());
            encoder = new EmbeddingCache(model, config.cacheSize());
            LOG.infof("NLU: embedding model %s loaded in %.1f s (%d dimensions, %d inference thread(s))",
                    choice.id(), (System.nanoTime() - started) / 1e9, model.dimension(), config.inferenceThreads());
        } catch (RuntimeException | LinkageError e) {
            modelFailed = true;
            LOG.errorf(e, "NLU: the embedding model %s could not be loaded; bots answer with TF-IDF", config.model());
        }
    }

    /** The NLU of a bot version, created (and its training queued) on first use. */
    public BotNlu of(CompiledBot bot) {
        return bots.computeIfAbsent(bot.tenantId() + '\u0000' + bot.botId() + '\u0000' + bot.version(), key -> {
            var phrases = new LinkedHashMap<String, List<String>>();
            bot.definition().intents().forEach((name, intent) -> phrases.put(name, intent.examples()));
            var nlu = new BotNlu(bot.tenantId() + "/" + bot.botId() + " v" + bot.version(), phrases, bot.matcher(),
                    dialogueConfig.matchThreshold(), EntityExtractor.forBot(bot.definition()));
            if (config.enabled()) {
                training.submit(() -> {
                    var model = model();
                    if (model == null) {
                        LOG.warnf("NLU %s/%s v%d: no embedding model; TF-IDF answers", bot.tenantId(), bot.botId(),
                                bot.version());
                        return;
                    }
                    nlu.train(model, options(), config.outOfScopeThreshold().orElse(null));
                });
            }
            return nlu;
        });
    }

    private IntentTrainer.Options options() {
        return IntentTrainer.Options.defaults().withInScopeRetention(config.inScopeRetention())
                .withKnnWeight(config.knnWeight());
    }

    /** Analyses a text for a bot version with the best engine ready now. */
    public NluResult parse(CompiledBot bot, String text) {
        return of(bot).parse(text, encoder, LocalDate.now(clock));
    }

    /**
     * Analyses a user's message: like {@link #parse(CompiledBot, String)}, but the text's embedding is cached as the
     * owner's so that an erasure of the owner removes it ({@link #forget(String)}).
     */
    public NluResult parse(CompiledBot bot, String text, String owner) {
        var cache = encoder;
        return of(bot).parse(text, cache == null ? null : cache.owned(owner), LocalDate.now(clock));
    }

    /** Removes the cached embeddings of the owner's messages; returns how many went. */
    public int forget(String owner) {
        var cache = encoder;
        return cache == null ? 0 : cache.forget(owner);
    }

    /** The embedding cache, or null while the model loads (or when NLU is disabled). */
    public EmbeddingCache encoder() {
        return encoder;
    }

    /** For tests: waits until the queued model load and trainings have run. */
    public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        var marker = training.submit(() -> {
        });
        try {
            marker.get(timeout, unit);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    void useClock(Clock fixed) {
        clock = fixed;
    }

    @PreDestroy
    void stop() {
        training.shutdownNow();
    }
}
