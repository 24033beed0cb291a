package dev.parley.dialogue.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.parley.dialogue.BotDefinition;

/** Checks the flow parts of a bot definition and names every problem with the path to it. */
public final class FlowValidator {

    /** One problem: where (a dotted path into the definition) and what. */
    public record Error(String field, String message) {
    }

    private static final Set<String> SLOT_TYPES = Set.of("text", "number", "email", "amount", "date", "yes_no",
            "regex", "list");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Set<String> RESERVED_PREFIXES = Set.of("message.", "conversation.", "user.", "intent.",
            "handoff.", "bot.", "webhook.", "audit.", "knowledge.");

    private FlowValidator() {
    }

    public static List<Error> validate(BotDefinition bot) {
        var errors = new ArrayList<Error>();
        bot.slots().forEach((name, slot) -> {
            String path = "slots." + name;
            String type = slot.type() == null ? "text" : slot.type();
            if (!SLOT_TYPES.contains(type)) {
                errors.add(new Error(path + ".type", "unknown slot type '" + type + "'; one of " + SLOT_TYPES));
            }
            if ("regex".equals(type)) {
                if (slot.pattern() == null) {
                    errors.add(new Error(path + ".pattern", "a regex slot needs a pattern"));
                } else {
                    try {
                        Pattern.compile(slot.pattern());
                    } catch (PatternSyntaxException e) {
                        errors.add(new Error(path + ".pattern", "not a valid regular expression: "
                                + e.getDescription()));
                    }
                }
            }
            if ("list".equals(type) && (slot.values() == null || slot.values().isEmpty())) {
                errors.add(new Error(path + ".values", "a list slot needs values"));
            }
            if (slot.maxAttempts() != null && slot.maxAttempts() < 1) {
                errors.add(new Error(path + ".maxAttempts", "must be at least 1"));
            }
        });
        bot.endpoints().forEach((name, endpoint) -> {
            String path = "endpoints." + name;
            if (endpoint.url() == null || !endpoint.url().matches("(?i)https?://.+")) {
                errors.add(new Error(path + ".url", "an http or https URL is required"));
            }
            if (endpoint.timeoutMillis() != null && (endpoint.timeoutMillis() < 100 || endpoint.timeoutMillis() > 30_000)) {
                errors.add(new Error(path + ".timeoutMillis", "must be between 100 and 30000"));
            }
            if (endpoint.secret() != null && !endpoint.secret().startsWith("whsec_")) {
                errors.add(new Error(path + ".secret", "a signing secret starts with whsec_"));
            }
        });
        bot.flows().forEach((name, flow) -> validateFlow(bot, name, flow, errors));
        var policy = bot.policy();
        if (policy.handoffAfterMisses() != null && policy.handoffAfterMisses() < 0) {
            errors.add(new Error("policy.handoffAfterMisses", "must be 0 (never) or more"));
        }
        return errors;
    }

    private static void validateFlow(BotDefinition bot, String name, FlowModel.Flow flow, List<Error> errors) {
        String path = "flows." + name;
        if (flow.trigger() == null || !bot.intents().containsKey(flow.trigger())) {
            errors.add(new Error(path + ".trigger", "must name an intent of the bot"));
        }
        if (flow.steps().isEmpty()) {
            errors.add(new Error(path + ".steps", "a flow needs at least one step"));
        }
        for (int i = 0; i < flow.steps().size(); i++) {
            var step = flow.steps().get(i);
            String at = path + ".steps[" + i + "]";
            var kinds = step.kinds();
            if (kinds.size() != 1) {
                errors.add(new Error(at, kinds.isEmpty()
                        ? "a step needs one of say, ask, confirm, call, branch, event, handoff, end, goto"
                        : "a step does one thing; this one has " + kinds));
            }
            if (step.ask() != null && !bot.slots().containsKey(step.ask())) {
                errors.add(new Error(at + ".ask", "unknown slot '" + step.ask() + "'"));
            }
            if (step.call() != null && !bot.endpoints().containsKey(step.call())) {
                errors.add(new Error(at + ".call", "unknown endpoint '" + step.call() + "'"));
            }
            if (step.event() != null) {
                if (!EVENT_TYPE.matcher(step.event()).matches()) {
                    errors.add(new Error(at + ".event", "an event type is dotted lower case, e.g. lead.qualified"));
                } else if (RESERVED_PREFIXES.stream().anyMatch(step.event()::startsWith)) {
                    errors.add(new Error(at + ".event", "'" + step.event() + "' is reserved for Parley's own events"));
                }
            }
            for (String slot : step.data()) {
                if (!bot.slots().containsKey(slot)) {
                    errors.add(new Error(at + ".data", "unknown slot '" + slot + "'"));
                }
            }
            target(flow, step.next(), at + ".goto", errors);
            target(flow, step.onNo(), at + ".onNo", errors);
            target(flow, step.onError(), at + ".onError", errors);
            for (int b = 0; b < step.branch().size(); b++) {
                var branch = step.branch().get(b);
                if (branch.next() == null) {
                    errors.add(new Error(at + ".branch[" + b + "].goto", "a branch needs a goto"));
                }
                target(flow, branch.next(), at + ".branch[" + b + "].goto", errors);
                if (branch.slot() != null && !bot.slots().containsKey(branch.slot())) {
                    errors.add(new Error(at + ".branch[" + b + "].slot", "unknown slot '" + branch.slot() + "'"));
                }
            }
        }
    }

    private static void target(FlowModel.Flow flow, String stepId, String path, List<Error> errors) {
        if (stepId != null && flow.indexOf(stepId) < 0) {
            errors.add(new Error(path, "no step with id '" + stepId + "' in this flow"));
        }
    }
}
