package dev.parley.session;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Aggregates over [from, to).
 *
 * @param fallbackRate            answered turns whose intent was {@code fallback}, over all answered turns
 * @param handoffRate             conversations started in the range that reached handoff, over all of them
 * @param averageTurnsPerConversation user messages over conversations that had at least one in the range
 */
public record AnalyticsSummary(Instant from, Instant to, long turns, long conversations,
        List<DayCount> turnsPerDay, List<IntentCount> topIntents, double fallbackRate, double handoffRate,
        double averageTurnsPerConversation) {

    public record DayCount(LocalDate day, long turns) {
    }

    public record IntentCount(String intent, long turns) {
    }
}
