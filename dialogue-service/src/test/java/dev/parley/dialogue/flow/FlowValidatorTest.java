package dev.parley.dialogue.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.parley.dialogue.BotDefinition;

class FlowValidatorTest {

    @Test
    void namesEveryProblemWithItsPath() throws Exception {
        var bot = new ObjectMapper(new YAMLFactory()).readValue("""
                id: broken
                intents:
                  ask: { examples: [ "x" ] }
                slots:
                  code: { type: regex, pattern: "([a-z" }
                  colour: { type: list }
                  size: { type: shoe }
                endpoints:
                  crm: { url: "ftp://crm.example", secret: "plain" }
                flows:
                  f:
                    trigger: missing_intent
                    steps:
                      - { ask: nothing }
                      - { say: "a", end: done }
                      - { call: erp }
                      - { event: message.sent }
                      - { event: NotDotted }
                      - { branch: [ { slot: code, equals: "1" } ] }
                      - { goto: nowhere }
                      - { }
                """, BotDefinition.class);
        var errors = FlowValidator.validate(bot).stream().map(e -> e.field() + ": " + e.message()).toList();
        assertEquals(List.of(
                "slots.code.pattern: not a valid regular expression: Unclosed character class",
                "slots.colour.values: a list slot needs values",
                "slots.size.type: unknown slot type 'shoe'; one of " + errorTypes(errors),
                "endpoints.crm.url: an http or https URL is required",
                "endpoints.crm.secret: a signing secret starts with whsec_",
                "flows.f.trigger: must name an intent of the bot",
                "flows.f.steps[0].ask: unknown slot 'nothing'",
                "flows.f.steps[1]: a step does one thing; this one has [say, end]",
                "flows.f.steps[2].call: unknown endpoint 'erp'",
                "flows.f.steps[3].event: 'message.sent' is reserved for Parley's own events",
                "flows.f.steps[4].event: an event type is dotted lower case, e.g. lead.qualified",
                "flows.f.steps[5].branch[0].goto: a branch needs a goto",
                "flows.f.steps[6].goto: no step with id 'nowhere' in this flow",
                "flows.f.steps[7]: a step needs one of say, ask, confirm, call, branch, event, handoff, end, goto"),
                errors);
    }

    /** The set's order is not fixed; take it from the message itself, having checked the rest of the text. */
    private static String errorTypes(List<String> errors) {
        String line = errors.stream().filter(e -> e.startsWith("slots.size.type")).findFirst().orElseThrow();
        return line.substring(line.indexOf("one of ") + 7);
    }
}
