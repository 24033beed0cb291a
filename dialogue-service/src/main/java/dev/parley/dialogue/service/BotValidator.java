package dev.parley.dialogue.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.parley.common.problem.Problem;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.flow.FlowValidator;

/** Everything wrong with a bot definition, each with the path to it, before it is stored. */
public final class BotValidator {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final int MAX_INTENTS = 1_000;
    static final int MAX_EXAMPLES = 50_000;
    static final int MAX_TEXT = 2_000;

    private BotValidator() {
    }

    public static List<Problem.FieldError> validate(BotDefinition bot) {
        var errors = new ArrayList<Problem.FieldError>();
        if (bot.id() == null || !ID.matcher(bot.id()).matches()) {
            errors.add(new Problem.FieldError("id", "lower-case letters, digits, '-' and '_', at most 64"));
        }
        if (bot.name() != null && bot.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "at most 200 characters"));
        }
        if (bot.intents().isEmpty()) {
            errors.add(new Problem.FieldError("intents", "a bot needs at least one intent"));
        }
        if (bot.intents().size() > MAX_INTENTS) {
            errors.add(new Problem.FieldError("intents", "at most " + MAX_INTENTS + " intents"));
        }
        int examples = 0;
        var triggers = bot.flows().values().stream().map(f -> f.trigger()).toList();
        for (var entry : bot.intents().entrySet()) {
            String path = "intents." + entry.getKey();
            var intent = entry.getValue();
            if (intent == null || intent.examples().isEmpty()) {
                errors.add(new Problem.FieldError(path + ".examples", "an intent needs training phrases"));
                continue;
            }
            examples += intent.examples().size();
            for (int i = 0; i < intent.examples().size(); i++) {
                String example = intent.examples().get(i);
                if (example == null || example.isBlank() || example.length() > MAX_TEXT) {
                    errors.add(new Problem.FieldError(path + ".examples[" + i + "]",
                            "a phrase has 1 to " + MAX_TEXT + " characters"));
                }
            }
            if (intent.responses().isEmpty() && !triggers.contains(entry.getKey())) {
                errors.add(new Problem.FieldError(path + ".responses",
                        "an intent needs responses unless a flow starts with it"));
            }
        }
        if (examples > MAX_EXAMPLES) {
            errors.add(new Problem.FieldError("intents", "at most " + MAX_EXAMPLES + " training phrases in all"));
        }
        for (var error : FlowValidator.validate(bot)) {
            errors.add(new Problem.FieldError(error.field(), error.message()));
        }
        if (bot.fallback() != null) {
            errors.addAll(bot.fallback().validate());
        }
        for (var error : bot.models().validate()) {
            errors.add(error);
        }
        return errors;
    }
}
