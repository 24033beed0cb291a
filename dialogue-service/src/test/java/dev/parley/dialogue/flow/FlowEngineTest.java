package dev.parley.dialogue.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.parley.common.events.EventTypes;
import dev.parley.common.events.QuickReply;
import dev.parley.dialogue.BotDefinition;

class FlowEngineTest {

    static BotDefinition shop() throws IOException {
        try (var in = FlowEngineTest.class.getResourceAsStream("/bots/shop.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, BotDefinition.class);
        }
    }

    /** An order system that answers from a map, records what it was sent, and can be switched off. */
    static final class Orders implements Fulfillment {
        final List<Map<String, Object>> calls = new ArrayList<>();
        final Map<String, Map<String, Object>> answers = new HashMap<>();
        boolean down;

        @Override
        public Map<String, Object> call(String tenantId, String endpointName, FlowModel.Endpoint endpoint, String callId,
                Map<String, Object> payload) throws FulfillmentException {
            calls.add(payload);
            if (down) {
                throw new FulfillmentException("connection refused", null);
            }
            @SuppressWarnings("unchecked")
            var slots = (Map<String, Object>) payload.get("slots");
            return answers.getOrDefault(String.valueOf(slots.get("order_number")), Map.of("status", "unknown"));
        }
    }

    BotDefinition bot;
    Orders orders;
    FlowEngine engine;
    FlowState flow;
    int turns;
    int misses;
    Map<String, Object> user = Map.of("firstName", "Ada");

    @BeforeEach
    void setUp() throws IOException {
        bot = shop();
        orders = new Orders();
        engine = new FlowEngine(orders);
    }

    FlowEngine.Result say(String text, String intent, double confidence) {
        var nlu = new FlowEngine.Understanding(intent, confidence, intent != null);
        var result = engine.respond(bot, new FlowEngine.Turn("acme", "c-1", "m-" + turns, text, nlu, flow, turns,
                misses, user));
        flow = result.flow();
        misses = result.misses();
        turns++;
        return result;
    }

    FlowEngine.Result say(String text) {
        return say(text, null, 0.1);
    }

    @Test
    void fillsSlotsConfirmsCallsTheEndpointAndBranchesOnItsAnswer() {
        orders.answers.put("AB123456", Map.of("status", "shipped", "tracking", "TRK-9"));

        var first = say("where is my order?", "order_status", 0.9);
        assertEquals(List.of("What's your order number? It looks like AB123456."), first.texts());
        assertEquals("check_order", first.flow().flow());

        var second = say("it's AB123456");
        assertEquals(List.of("Which email address did you order with?"), second.texts());
        assertEquals("AB123456", second.flow().slots().get("order_number"));

        var third = say("Ada@Example.com");
        assertEquals(List.of("Shall I look up order AB123456 for ada@example.com?"), third.texts());
        assertEquals(List.of(new QuickReply("Yes", "yes"), new QuickReply("No", "no")), third.quickReplies());
        assertTrue(orders.calls.isEmpty(), "nothing is looked up before the user confirms");

        var done = say("yes please");
        assertEquals(List.of("Good news Ada: it shipped, tracking TRK-9."), done.texts());
        assertEquals("resolved", done.outcome());
        assertNull(done.flow());
        assertEquals(1, orders.calls.size());
        assertEquals(Map.of("order_number", "AB123456", "email", "ada@example.com"), orders.calls.get(0).get("slots"));
        assertEquals(List.of(new FlowEngine.Event("order.checked", Map.of("order_number", "AB123456", "flow",
                "check_order"))), done.events());
    }

    @Test
    void slotsGivenUpFrontAreNotAskedAgainAndOtherAnswersTakeTheOtherBranch() {
        orders.answers.put("CD654321", Map.of("status", "being packed"));
        var first = say("where is order CD654321?", "order_status", 0.9);
        assertEquals(List.of("Which email address did you order with?"), first.texts());
        say("me@shop.example");
        var done = say("yes");
        assertEquals(List.of("Order CD654321 is being packed."), done.texts());
    }

    @Test
    void repromptsThenGivesUpAfterTheSlotsAttempts() {
        say("where is my order", "order_status", 0.9);
        var again = say("I don't know");
        assertEquals(List.of("Sorry, an order number looks like AB123456. What is yours?"), again.texts());
        assertFalse(again.understood());
        say("no idea");
        var gaveUp = say("still no idea");
        assertEquals("abandoned", gaveUp.outcome());
        assertNull(gaveUp.flow());
    }

    @Test
    void aDigressionIsAnsweredAndTheQuestionAskedAgain() {
        say("where is my order", "order_status", 0.9);
        var digression = say("wait, when are you open?", "opening_hours", 0.85);
        assertEquals(List.of("We're open 9 to 5, Monday to Friday.", "Now, back to where we were.",
                "What's your order number? It looks like AB123456."), digression.texts());
        assertEquals("check_order", digression.flow().flow());
        var next = say("AB123456");
        assertEquals(List.of("Which email address did you order with?"), next.texts());
    }

    @Test
    void sayingNoClearsTheSlotsAndStartsOver() {
        say("where is my order", "order_status", 0.9);
        say("AB123456");
        say("x@y.example");
        var no = say("no, wrong one");
        assertEquals(List.of("What's your order number? It looks like AB123456."), no.texts());
        assertTrue(no.flow().slots().isEmpty());
    }

    @Test
    void anEndpointOutageSaysTheFallbackAndHandsOff() {
        orders.down = true;
        say("where is my order", "order_status", 0.9);
        say("AB123456");
        say("x@y.example");
        var failed = say("yes");
        assertEquals(List.of("Our order system is not answering right now.",
                "Let me get a colleague to look at order AB123456."), failed.texts());
        assertTrue(failed.handoff());
        assertEquals(EventTypes.HANDOFF_REQUESTED, failed.events().get(0).type());
        assertEquals("flow", failed.events().get(0).data().get("reason"));
    }

    @Test
    void aListSlotOffersItsValuesAndRaisesTheCustomEvent() {
        var ask = say("I want to upgrade my plan", "upgrade", 0.9);
        assertEquals(List.of(new QuickReply("basic", "basic"), new QuickReply("pro", "pro")), ask.quickReplies());
        var done = say("the premium one");
        assertEquals(List.of("Done: you're on the pro plan."), done.texts());
        assertEquals(new FlowEngine.Event("lead.qualified", Map.of("plan", "pro", "flow", "change_plan")),
                done.events().get(0));
    }

    @Test
    void threeMissesInARowHandTheConversationToAHuman() {
        assertEquals(List.of("Sorry, I didn't get that."), say("blorp").texts());
        say("zzz");
        var third = say("qwerty");
        assertTrue(third.handoff());
        assertEquals(List.of("Let me get a colleague to help you. Someone will answer here shortly."), third.texts());
        assertEquals("misses", third.events().get(0).data().get("reason"));
    }

    @Test
    void anUnderstoodMessageResetsTheMissesAndTemplatesUseTheUsersAttributes() {
        say("blorp");
        say("zzz");
        var hello = say("hello", "greeting", 0.9);
        assertEquals(List.of("Hello Ada!"), hello.texts());
        assertEquals(0, hello.misses());
        user = Map.of();
        assertEquals(List.of("Hello there!"), say("hi", "greeting", 0.9).texts());
    }

    @Test
    void theShopBotIsValid() {
        assertEquals(List.of(), FlowValidator.validate(bot));
    }
}
