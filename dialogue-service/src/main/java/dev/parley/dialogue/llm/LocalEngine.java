package dev.parley.dialogue.llm;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The offline engine, the default and the last resort of every route. It never invents: a grounded answer is made
 * of the source sentences that best cover the question, each followed by its citation {@code [n]}; when nothing
 * in the sources covers enough of the question, or there are no sources, it gives the bot's fallback text (or
 * "I don't know") with {@link FinishReason#NO_ANSWER}. For a handoff summary it quotes what the user said; it does
 * not classify intents (the embedding NLU does), so for that task it always answers {@code NO_ANSWER}.
 */
public final class LocalEngine {

    public static final String NAME = "local";
    public static final String MODEL = "extractive";
    public static final String DONT_KNOW = "I don't know the answer to that.";

    /** Share of the question's weight that a sentence must cover to be worth citing. */
    static final double MIN_COVERAGE = 0.34;
    static final int MAX_SENTENCES = 2;
    static final int SUMMARY_MESSAGES = 3;

    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "and", "or", "but", "if", "of", "to",
            "in", "on", "at", "by", "for", "with", "from", "into", "about", "as", "is", "are", "was", "were", "be",
            "been", "being", "am", "do", "does", "did", "have", "has", "had", "i", "me", "my", "mine", "you", "your",
            "we", "our", "us", "it", "its", "this", "that", "these", "those", "there", "here", "what", "which",
            "who", "whom", "when", "where", "why", "how", "can", "could", "would", "should", "will", "shall", "may",
            "might", "must", "not", "no", "so", "than", "then", "too", "very", "just", "also", "any", "some", "all",
            "please", "hi", "hello", "thanks", "thank", "tell", "know", "want", "need", "get", "they", "them",
            "their", "he", "she", "his", "her", "yes", "s", "t", "don", "doesn", "isn", "im", "ive");

    /** The engine as an {@link LlmProvider} for a task. */
    public LlmProvider forTask(Task task) {
        return new LlmProvider() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public LlmResponse generate(LlmRequest request) {
                return answer(task, request);
            }

            @Override
            public LlmResponse stream(LlmRequest request, Consumer<String> tokens) {
                LlmResponse response = answer(task, request);
                if (response.finishReason() == FinishReason.NO_ANSWER) {
                    // Not an answer: the bot says its fallback message instead, so nothing of this is streamed.
                    return response;
                }
                // Word by word, so that a streaming client sees the same kind of flow as from a remote model.
                String text = response.text();
                int start = 0;
                for (int i = 1; i <= text.length(); i++) {
                    if (i == text.length() || text.charAt(i) == ' ') {
                        if (i > start) {
                            tokens.accept(text.substring(start, i));
                        }
                        start = i;
                    }
                }
                return response;
            }
        };
    }

    public LlmResponse answer(Task task, LlmRequest request) {
        return switch (task) {
            case ANSWER_GENERATION -> grounded(request);
            case HANDOFF_SUMMARY -> summary(request);
            case INTENT_CLASSIFICATION -> response("", FinishReason.NO_ANSWER, List.of());
        };
    }

    private LlmResponse grounded(LlmRequest request) {
        List<String> question = terms(request.question());
        if (question.isEmpty() || request.sources().isEmpty()) {
            return noAnswer(request);
        }
        List<Sentence> sentences = sentences(request.sources());
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (Sentence sentence : sentences) {
            sentence.terms.forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
        }
        int count = sentences.size();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String term : question) {
            // A question word that no source mentions weighs the most: the sources cannot answer about it.
            weights.put(term, Math.log(1.0 + (count + 1.0) / (documentFrequency.getOrDefault(term, 0) + 0.5)));
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        for (Sentence sentence : sentences) {
            double covered = 0;
            for (var weight : weights.entrySet()) {
                if (sentence.terms.contains(weight.getKey())) {
                    covered += weight.getValue();
                }
            }
            sentence.coverage = covered / total;
        }
        var ranked = new ArrayList<>(sentences);
        ranked.sort(Comparator.comparingDouble((Sentence s) -> s.coverage).reversed()
                .thenComparingInt(s -> s.order));
        double best = ranked.get(0).coverage;
        if (best < MIN_COVERAGE) {
            return noAnswer(request);
        }
        var chosen = new ArrayList<Sentence>();
        for (Sentence sentence : ranked) {
            if (chosen.size() == MAX_SENTENCES || sentence.coverage < Math.max(MIN_COVERAGE, best * 0.6)) {
                break;
            }
            chosen.add(sentence);
        }
        chosen.sort(Comparator.comparingInt(s -> s.order));

        var cited = new LinkedHashMap<Integer, Source>();
        var text = new StringBuilder();
        int words = 0;
        FinishReason finish = FinishReason.STOP;
        for (Sentence sentence : chosen) {
            int sentenceWords = sentence.text.split("\\s+").length;
            if (words > 0 && words + sentenceWords > request.maxTokens()) {
                finish = FinishReason.LENGTH;
                break;
            }
            cited.putIfAbsent(sentence.source, request.sources().get(sentence.source));
            int citation = new ArrayList<>(cited.keySet()).indexOf(sentence.source) + 1;
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(sentence.text).append(" [").append(citation).append(']');
            words += sentenceWords;
        }
        return response(text.toString(), finish, new ArrayList<>(cited.values()));
    }

    private LlmResponse summary(LlmRequest request) {
        var said = new ArrayList<String>();
        for (ChatMessage message : request.messages()) {
            if (message.role() == ChatMessage.Role.USER && !message.content().isBlank()) {
                said.add(message.content().strip().replaceAll("\\s+", " "));
            }
        }
        if (said.isEmpty()) {
            return noAnswer(request);
        }
        List<String> recent = said.subList(Math.max(0, said.size() - SUMMARY_MESSAGES), said.size());
        var text = new StringBuilder("The customer wrote ").append(said.size())
                .append(said.size() == 1 ? " message" : " messages");
        text.append(recent.size() < said.size() ? "; the last ones: " : ": ");
        for (int i = 0; i < recent.size(); i++) {
            text.append(i == 0 ? "" : " / ").append('"').append(recent.get(i)).append('"');
        }
        return response(text.append('.').toString(), FinishReason.STOP, List.of());
    }

    private static LlmResponse noAnswer(LlmRequest request) {
        String text = request.fallbackText() == null || request.fallbackText().isBlank() ? DONT_KNOW
                : request.fallbackText();
        return response(text, FinishReason.NO_ANSWER, List.of());
    }

    private static LlmResponse response(String text, FinishReason finish, List<Source> sources) {
        return new LlmResponse(text, NAME, MODEL, null, finish, sources);
    }

    private static final class Sentence {
        final int source;
        final int order;
        final String text;
        final Set<String> terms;
        double coverage;

        Sentence(int source, int order, String text) {
            this.source = source;
            this.order = order;
            this.text = text;
            this.terms = new LinkedHashSet<>(terms(text));
        }
    }

    private static List<Sentence> sentences(List<Source> sources) {
        var sentences = new ArrayList<Sentence>();
        BreakIterator breaks = BreakIterator.getSentenceInstance(Locale.ROOT);
        for (int s = 0; s < sources.size(); s++) {
            for (String paragraph : sources.get(s).text().split("\\n\\s*")) {
                breaks.setText(paragraph);
                int start = breaks.first();
                for (int end = breaks.next(); end != BreakIterator.DONE; start = end, end = breaks.next()) {
                    String sentence = paragraph.substring(start, end).strip();
                    if (!sentence.isEmpty()) {
                        sentences.add(new Sentence(s, sentences.size(), sentence));
                    }
                }
            }
        }
        return sentences;
    }

    /** Lower-cased content words, crudely singularised so that "cards" meets "card". */
    static List<String> terms(String text) {
        var terms = new ArrayList<String>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+")) {
            if (word.isEmpty() || STOP_WORDS.contains(word)) {
                continue;
            }
            terms.add(stem(word));
        }
        return terms.stream().distinct().toList();
    }

    private static String stem(String word) {
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.length() > 5 && word.endsWith("ing")) {
            return word.substring(0, word.length() - 3);
        }
        if (word.length() > 4 && word.endsWith("ed")) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
