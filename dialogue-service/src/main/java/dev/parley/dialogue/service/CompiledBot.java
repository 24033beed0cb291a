package dev.parley.dialogue.service;

import java.util.LinkedHashMap;
import java.util.List;

import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.nlu.IntentMatcher;

/** A bot version ready to answer: its definition and the matcher trained on its phrases. */
public record CompiledBot(String tenantId, String botId, int version, BotDefinition definition, IntentMatcher matcher) {

    public static CompiledBot compile(String tenantId, String botId, int version, BotDefinition definition) {
        var examples = new LinkedHashMap<String, List<String>>();
        definition.intents().forEach((name, intent) -> examples.put(name, intent.examples()));
        return new CompiledBot(tenantId, botId, version, definition, new IntentMatcher(examples));
    }
}
