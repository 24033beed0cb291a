package dev.parley.dialogue.service;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.parley.dialogue.BotDefinition;

/**
 * A smaller demo bot for @QuarkusTests: 18 of its intents with up to 40 BANKING77 phrases each (about 700, so
 * it trains in seconds yet has a calibration slice), plus a list and a pattern entity.
 */
public final class NluTestBots {

    public static final String BOT_ID = "nlu-test-bank";
    static final Set<String> INTENTS = Set.of("card_arrival", "lost_or_stolen_card", "change_pin", "top_up_failed",
            "exchange_rate", "transfer_not_received_by_recipient", "declined_card_payment", "cash_withdrawal_charge",
            "apple_pay_or_google_pay", "verify_my_identity", "terminate_account", "card_payment_fee_charged",
            "pending_transfer", "edit_personal_details", "age_limit", "greeting", "goodbye", "thanks");

    private NluTestBots() {
    }

    public static BotDefinition definition() {
        var demo = DemoBot.load();
        var intents = new LinkedHashMap<String, BotDefinition.IntentDefinition>();
        demo.intents().forEach((name, intent) -> {
            if (INTENTS.contains(name)) {
                var examples = intent.examples().subList(0, Math.min(40, intent.examples().size()));
                intents.put(name, new BotDefinition.IntentDefinition(examples, intent.responses(),
                        intent.quickReplies(), intent.suggestedActions()));
            }
        });
        var entities = Map.of(
                "card_type", new BotDefinition.EntityDefinition(Map.of("virtual", List.of("online card", "virtual card"),
                        "physical", List.of("plastic card")), null),
                "order_id", new BotDefinition.EntityDefinition(null, "ORD-(\\d{6})"));
        return new BotDefinition(BOT_ID, "NLU test bank", "18 BANKING77 intents", "en", demo.fallback(), intents,
                entities);
    }

    /** Publishes the bot for the tenant once and waits until its classifier is trained. */
    public static synchronized CompiledBot installAndTrain(BotRegistry registry, NluService nlu, String tenant)
            throws SQLException, InterruptedException {
        var bot = registry.latest(tenant, BOT_ID);
        if (bot.isEmpty()) {
            registry.publish(tenant, definition());
            bot = registry.latest(tenant, BOT_ID);
        }
        nlu.of(bot.orElseThrow());
        if (!nlu.awaitIdle(3, TimeUnit.MINUTES)) {
            throw new IllegalStateException("NLU training did not finish");
        }
        return bot.get();
    }
}
