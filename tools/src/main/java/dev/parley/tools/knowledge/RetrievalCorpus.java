package dev.parley.tools.knowledge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The retrieval benchmark's corpus and questions, built offline and deterministically from the BANKING77 training
 * split (CC BY 4.0): for each of the 77 intents the labelled customer queries are shuffled with a fixed seed, the
 * first {@code questionsPerIntent} become questions, and the rest are dealt round-robin into
 * {@code documentsPerIntent} FAQ-style Markdown articles titled after the intent. A question's relevant documents are
 * the articles of its intent; no question text appears in any article.
 */
final class RetrievalCorpus {

    record Article(String id, String intent, String title, String markdown) {
    }

    record Question(String text, String intent) {
    }

    final List<Article> articles = new ArrayList<>();
    final List<Question> questions = new ArrayList<>();
    final List<String> phrases = new ArrayList<>();

    static RetrievalCorpus build(Path trainCsv, int documentsPerIntent, int questionsPerIntent, long seed) throws IOException {
        var byIntent = new LinkedHashMap<String, List<String>>();
        var records = records(Files.readString(trainCsv, StandardCharsets.UTF_8));
        for (var fields : records.subList(1, records.size())) {
            if (fields.size() < 2) {
                continue;
            }
            String text = fields.get(0).replaceAll("\\s+", " ").strip();
            if (!text.isEmpty()) {
                byIntent.computeIfAbsent(fields.get(fields.size() - 1).strip(), k -> new ArrayList<>()).add(text);
            }
        }
        var corpus = new RetrievalCorpus();
        var random = new Random(seed);
        for (Map.Entry<String, List<String>> intent : byIntent.entrySet()) {
            var texts = new ArrayList<>(intent.getValue());
            Collections.shuffle(texts, random);
            for (int i = 0; i < questionsPerIntent; i++) {
                corpus.questions.add(new Question(texts.get(i), intent.getKey()));
            }
            var rest = texts.subList(questionsPerIntent, texts.size());
            corpus.phrases.addAll(rest);
            String topic = humanise(intent.getKey());
            for (int d = 0; d < documentsPerIntent; d++) {
                var body = new StringBuilder("# ").append(topic).append("\n\n");
                body.append("Questions our customers ask about ").append(topic.toLowerCase(Locale.ROOT)).append(":\n\n");
                for (int p = d; p < rest.size(); p += documentsPerIntent) {
                    body.append("- ").append(rest.get(p)).append("\n\n");
                }
                corpus.articles.add(new Article(intent.getKey() + "-" + d, intent.getKey(),
                        topic + " (FAQ " + (d + 1) + ")", body.toString()));
            }
        }
        return corpus;
    }

    static String humanise(String intent) {
        String words = intent.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> records(String content) {
        var records = new ArrayList<List<String>>();
        var fields = new ArrayList<String>();
        var field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < content.length() && content.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                    records.add(List.copyOf(fields));
                }
                fields.clear();
            } else {
                field.append(c);
            }
        }
        if (!field.isEmpty() || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(List.copyOf(fields));
        }
        return records;
    }
}
