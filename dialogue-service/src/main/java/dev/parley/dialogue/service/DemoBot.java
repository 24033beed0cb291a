package dev.parley.dialogue.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.parley.dialogue.BotDefinition;

/**
 * The demo bot: customer support for a fictional bank, its responses in {@code demo/banking77-bot.yaml} and its
 * training phrases the BANKING77 training split ({@code demo/banking77/train.csv}, CC BY 4.0).
 */
public final class DemoBot {

    private DemoBot() {
    }

    public static BotDefinition load() {
        try (InputStream yaml = resource("demo/banking77-bot.yaml");
                InputStream csv = resource("demo/banking77/train.csv")) {
            BotDefinition bot = new ObjectMapper(new YAMLFactory()).readValue(yaml, BotDefinition.class);
            Map<String, List<String>> phrases = readTrainingPhrases(csv);
            var intents = new LinkedHashMap<String, BotDefinition.IntentDefinition>();
            bot.intents().forEach((name, intent) -> intents.put(name,
                    intent.withExamples(phrases.getOrDefault(name, List.of()))));
            for (String category : phrases.keySet()) {
                if (!intents.containsKey(category)) {
                    throw new IllegalStateException("The demo bot has no responses for intent " + category);
                }
            }
            return bot.withIntents(intents);
        } catch (IOException e) {
            throw new IllegalStateException("The demo bot's resources are unreadable", e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = DemoBot.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("Missing resource " + path);
        }
        return in;
    }

    /** Reads {@code text,category} rows (RFC 4180 quoting) into phrases per category, in file order. */
    public static Map<String, List<String>> readTrainingPhrases(InputStream csv) throws IOException {
        var phrases = new LinkedHashMap<String, List<String>>();
        var reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null || !header.strip().equals("text,category")) {
            throw new IOException("Expected the header 'text,category'");
        }
        String line;
        while ((line = reader.readLine()) != null) {
            var fields = splitCsvLine(line, reader);
            if (fields.size() == 2) {
                phrases.computeIfAbsent(fields.get(1), k -> new ArrayList<>()).add(fields.get(0));
            }
        }
        return phrases;
    }

    private static List<String> splitCsvLine(String line, BufferedReader reader) throws IOException {
        var fields = new ArrayList<String>();
        var field = new StringBuilder();
        boolean quoted = false;
        String current = line;
        int i = 0;
        while (true) {
            if (i == current.length()) {
                if (quoted) {
                    String next = reader.readLine();
                    if (next == null) {
                        break;
                    }
                    field.append('\n');
                    current = next;
                    i = 0;
                    continue;
                }
                break;
            }
            char c = current.charAt(i++);
            if (quoted) {
                if (c == '"' && i < current.length() && current.charAt(i) == '"') {
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
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
