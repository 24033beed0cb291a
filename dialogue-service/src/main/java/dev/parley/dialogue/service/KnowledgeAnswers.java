package dev.parley.dialogue.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.events.KnowledgeSource;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.client.KnowledgeClient.SearchResult;
import dev.parley.dialogue.client.KnowledgeSearch;
import dev.parley.dialogue.config.KnowledgeConfig;
import dev.parley.dialogue.flow.FlowEngine;
import dev.parley.dialogue.llm.ChatMessage;
import dev.parley.dialogue.llm.FinishReason;
import dev.parley.dialogue.llm.LlmRequest;
import dev.parley.dialogue.llm.LocalEngine;
import dev.parley.dialogue.llm.ResponseGenerator;
import dev.parley.dialogue.llm.Source;
import dev.parley.dialogue.llm.Task;

/**
 * The first step of the fallback policy: answer what the intents do not cover from the tenant's knowledge base.
 * The search looks at the bot's documents and the tenant-wide ones (with the bot's {@code fallback.tags}); when the
 * best passage is similar enough to the question, the answer is generated from the best passages only: by the
 * bot's language model route for answer generation, told to use nothing else, or else by the local engine, which
 * quotes the sentences that cover the question. The answer carries the passages it cites. When nothing relevant is
 * found, or the passages do not answer the question, this step says nothing and the fallback goes on (a language
 * model without sources when the bot has one, then the fallback message): nothing is ever made up here.
 */
@ApplicationScoped
public class KnowledgeAnswers {

    private static final Logger LOG = Logger.getLogger(KnowledgeAnswers.class);
    private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,2})]");
    /** Passages asked of the search beyond the ones used, so that the similarity floor has some to choose from. */
    static final int MIN_CANDIDATES = 5;

    @Inject
    KnowledgeSearch search;
    @Inject
    KnowledgeConfig config;
    @Inject
    ResponseGenerator responses;

    public Optional<FlowEngine.Answer> answer(BotDefinition bot, FlowEngine.Turn turn) {
        var fallback = bot.fallback();
        if (!search.enabled() || (fallback != null && !fallback.searchesKnowledge())) {
            return Optional.empty();
        }
        double floor = fallback != null && fallback.minSimilarity() != null ? fallback.minSimilarity()
                : config.minSimilarity();
        int most = fallback != null && fallback.maxSources() != null ? fallback.maxSources() : config.maxSources();
        var found = search.search(turn.tenantId(), bot.id(), turn.text(), fallback == null ? List.of() : fallback.tags(),
                Math.max(most, MIN_CANDIDATES));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var relevant = relevant(found.get(), floor, most);
        if (relevant.isEmpty()) {
            LOG.debugf("Tenant %s, bot %s: no passage reaches similarity %.2f", turn.tenantId(), bot.id(), floor);
            return Optional.empty();
        }
        var grounding = relevant.stream().map(r -> new Source(r.chunkId(), r.title(), r.source(),
                r.text() == null || r.text().isBlank() ? r.snippet() : r.text())).toList();
        var request = new LlmRequest(prompt(bot), List.of(ChatMessage.user(turn.text())), 400, 0.0, grounding, null);
        var generated = responses.answer(turn.tenantId(), bot.models(), Task.ANSWER_GENERATION, request);
        var response = generated.response();
        if (response.finishReason() == FinishReason.NO_ANSWER || response.text().isBlank()) {
            LOG.debugf("Tenant %s, bot %s: the passages found do not answer the question", turn.tenantId(), bot.id());
            return Optional.empty();
        }
        var cited = LocalEngine.NAME.equals(response.provider()) ? byChunk(response.sources(), relevant)
                : citedIn(response.text(), relevant);
        return Optional.of(new FlowEngine.Answer(response.text(), cited,
                "knowledge+" + response.provider() + ":" + response.model()));
    }

    /** What the model is told: the providers append the numbered passages and the rule to answer only from them. */
    static String prompt(BotDefinition bot) {
        return "You are " + (bot.name() == null || bot.name().isBlank() ? "a support assistant" : bot.name())
                + ". Answer the user's question briefly, using only the facts in the numbered sources. Never add "
                + "facts, figures, links, names or policies that the sources do not state. If the sources do not "
                + "answer the question, say that you don't know.";
    }

    /** The passages at or above the similarity floor, in the search's order, at most {@code most}. */
    static List<SearchResult> relevant(List<SearchResult> results, double floor, int most) {
        var kept = new ArrayList<SearchResult>();
        for (SearchResult result : results) {
            if (kept.size() == most) {
                break;
            }
            if (result.similarity() != null && result.similarity() >= floor && result.chunkId() != null) {
                kept.add(result);
            }
        }
        return kept;
    }

    /** The passages a model's answer cites as [n], in the order they were given to it. */
    static List<KnowledgeSource> citedIn(String text, List<SearchResult> given) {
        var numbers = new java.util.TreeSet<Integer>();
        var matcher = CITATION.matcher(text);
        while (matcher.find()) {
            int n = Integer.parseInt(matcher.group(1));
            if (n >= 1 && n <= given.size()) {
                numbers.add(n);
            }
        }
        return numbers.stream().map(n -> view(given.get(n - 1))).toList();
    }

    /** The local engine returns the sources it cited: find their passages again by chunk id. */
    static List<KnowledgeSource> byChunk(List<Source> used, List<SearchResult> given) {
        var byId = new LinkedHashMap<String, SearchResult>();
        given.forEach(r -> byId.putIfAbsent(r.chunkId(), r));
        return used.stream().map(s -> byId.get(s.id())).filter(java.util.Objects::nonNull).map(KnowledgeAnswers::view)
                .toList();
    }

    static KnowledgeSource view(SearchResult result) {
        return new KnowledgeSource(result.documentId(), result.chunkId(), result.title(), result.snippet(),
                result.source(), Math.round(result.similarity() * 10_000) / 10_000.0);
    }
}
