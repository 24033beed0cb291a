package dev.parley.tools.bench;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of a benchmark run: counts and latencies of the measured phase only.
 *
 * @param measuredNanos  wall time of the measured phase, up to the completion of its last request
 * @param errors         failed requests of the measured phase by endpoint, status and problem code
 * @param turnLatency    nanoseconds; from the intended send time in open loop
 * @param turnService    nanoseconds from the actual send time (equal to {@code turnLatency} in closed loop)
 * @param sessionLatency nanoseconds per session creation
 * @param unsent         open loop: messages scheduled in the measured phase that were never sent because the
 *                       clients were too far behind when it ended
 * @param abortReason    why the run was stopped early, or {@code null}
 * @param interrupted    the run was cut short by the user (Ctrl-C)
 */
public record BenchReport(
        BenchOptions options,
        String textsDescription,
        long measuredNanos,
        long turns,
        long accepted,
        long sessions,
        long messageRequests,
        long sessionRequests,
        long errorCount,
        Map<PhaseStats.ErrorKey, Long> errors,
        LatencyHistogram.Summary turnLatency,
        LatencyHistogram.Summary turnService,
        LatencyHistogram.Summary sessionLatency,
        long warmupRequests,
        long warmupErrors,
        long unsent,
        String abortReason,
        boolean interrupted) {

    /** Above this share of failed requests the run fails. */
    public static final double MAX_ERROR_RATE = 0.01;

    public long requests() {
        return messageRequests + sessionRequests;
    }

    public double errorRate() {
        return requests() == 0 ? 0 : (double) errorCount / requests();
    }

    public double seconds() {
        return measuredNanos / 1e9;
    }

    public double turnsPerSecond() {
        return measuredNanos <= 0 ? 0 : turns / seconds();
    }

    public boolean passed() {
        return abortReason == null && turns > 0 && errorRate() <= MAX_ERROR_RATE;
    }

    public int exitCode() {
        return passed() ? 0 : 1;
    }

    private String verdict() {
        if (abortReason != null) {
            return "FAILED: aborted, " + abortReason;
        }
        if (turns == 0) {
            return "FAILED: no turn succeeded";
        }
        if (errorRate() > MAX_ERROR_RATE) {
            return String.format(Locale.ROOT, "FAILED: error rate %.2f %% is above %.0f %%", errorRate() * 100,
                    MAX_ERROR_RATE * 100);
        }
        return String.format(Locale.ROOT, "OK (error rate %.2f %% <= %.0f %%)", errorRate() * 100,
                MAX_ERROR_RATE * 100);
    }

    String modeDescription() {
        if (options.openLoop()) {
            return String.format(Locale.ROOT, "open loop, fixed arrival rate %s turns/s spread over the clients",
                    number(options.rate()));
        }
        return "closed loop, each client sends its next message as soon as it has the reply";
    }

    /** The human-readable summary printed on stdout. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("Parley turn benchmark\n");
        line(b, "url", options.url().toString());
        line(b, "clients", options.clients() + " virtual users, a new session every " + options.turnsPerSession()
                + " messages");
        line(b, "mode", modeDescription());
        String measured = options.durationMode()
                ? seconds(options.duration()) + " measured"
                : options.turns() + " message requests measured";
        line(b, "phases", seconds(options.warmup()) + " warm-up (excluded) + " + measured);
        line(b, "texts", textsDescription);
        line(b, "request timeout", seconds(options.timeout()));
        if (options.openLoop()) {
            b.append("  Latency is measured from each request's intended send time on the fixed schedule, not\n"
                    + "  from when it was actually sent, so a slow server cannot hold back the load and hide\n"
                    + "  its queueing (no coordinated omission).\n");
        }
        b.append('\n');

        b.append(String.format(Locale.ROOT, "Results of the measured phase (%.2f s)%s%n", seconds(),
                interrupted ? ", interrupted" : ""));
        line(b, "turns", String.format(Locale.ROOT, "%-10d (%s turns/s)", turns, number(turnsPerSecond())));
        if (options.openLoop()) {
            double sent = measuredNanos <= 0 ? 0 : messageRequests / seconds();
            line(b, "arrival rate", String.format(Locale.ROOT, "%s of %s messages/s sent", number(sent),
                    number(options.rate())));
            if (unsent > 0) {
                line(b, "not sent", unsent + " scheduled messages: the clients were behind when the phase ended");
            }
            if (unsent > 0 || (messageRequests > 0 && sent < 0.95 * options.rate())) {
                b.append("  note: the clients could not keep up with the schedule; give more --clients than\n"
                        + "  rate x turn latency in seconds, or lower --rate\n");
            }
        }
        line(b, "sessions created", String.format(Locale.ROOT, "%-10d (%s/s)", sessions,
                number(measuredNanos <= 0 ? 0 : sessions / seconds())));
        line(b, "202 accepted", String.format(Locale.ROOT, "%-10d (reply slower than the server's wait bound;"
                + " not a turn)", accepted));
        line(b, "errors", String.format(Locale.ROOT, "%-10d (%.2f %% of %d requests)", errorCount,
                errorRate() * 100, requests()));
        errors.forEach((key, count) -> b.append(String.format(Locale.ROOT, "    %8d  %s%n", count, key.label())));
        if (warmupRequests > 0) {
            line(b, "warm-up", warmupRequests + " requests, " + warmupErrors + " errors (not counted above)");
        }
        b.append('\n');

        b.append(String.format(Locale.ROOT, "%-28s %9s %9s %9s %9s %9s%n", "Latency (ms)", "p50", "p95", "p99",
                "max", "count"));
        latencyRow(b, options.openLoop() ? "turn (from intended send)" : "turn", turnLatency);
        if (options.openLoop()) {
            latencyRow(b, "turn (service time)", turnService);
        }
        latencyRow(b, "session creation", sessionLatency);
        b.append('\n');
        b.append("Result: ").append(verdict()).append('\n');
        return b.toString();
    }

    /**
     * Side B against side A of one comparison run: the relative difference of throughput and of the turn latency
     * percentiles (negative throughput, positive latency: B is slower). Throughput is compared per client, since
     * an odd number of clients gives side A one more.
     */
    public static String comparison(BenchReport a, BenchReport b) {
        StringBuilder out = new StringBuilder();
        out.append("B against A (same run, same moment, clients split evenly)\n");
        out.append(String.format(Locale.ROOT, "  %-18s %12s %12s %10s%n", "", "A", "B", "B vs A"));
        double perClientA = a.turnsPerSecond() / a.options().clients();
        double perClientB = b.turnsPerSecond() / b.options().clients();
        out.append(String.format(Locale.ROOT, "  %-18s %12s %12s %10s%n", "turns/s", number(a.turnsPerSecond()),
                number(b.turnsPerSecond()), perClientA > 0
                        ? String.format(Locale.ROOT, "%+.1f %%", (perClientB - perClientA) / perClientA * 100)
                        : "-"));
        compareRow(out, "turn p50 (ms)", a.turnLatency().p50() / 1e6, b.turnLatency().p50() / 1e6);
        compareRow(out, "turn p95 (ms)", a.turnLatency().p95() / 1e6, b.turnLatency().p95() / 1e6);
        compareRow(out, "turn p99 (ms)", a.turnLatency().p99() / 1e6, b.turnLatency().p99() / 1e6);
        return out.toString();
    }

    private static void compareRow(StringBuilder out, String name, double a, double b) {
        String change = a > 0 ? String.format(Locale.ROOT, "%+.1f %%", (b - a) / a * 100) : "-";
        out.append(String.format(Locale.ROOT, "  %-18s %12s %12s %10s%n", name, number(a), number(b), change));
    }

    /** One line of JSON with the same figures as {@link #render()}; latencies in milliseconds. */
    public String toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("url", options.url().toString());
        root.put("clients", options.clients());
        root.put("mode", options.openLoop() ? "open" : "closed");
        if (options.openLoop()) {
            root.put("rate", options.rate());
            root.put("unsentScheduled", unsent);
        }
        root.put("turnsPerSession", options.turnsPerSession());
        root.put("warmupSeconds", options.warmup().toNanos() / 1e9);
        if (options.durationMode()) {
            root.put("durationSeconds", options.duration().toNanos() / 1e9);
        } else {
            root.put("targetTurns", options.turns());
        }
        root.put("measuredSeconds", round(seconds()));
        root.put("turns", turns);
        root.put("turnsPerSecond", round(turnsPerSecond()));
        root.put("messageRequests", messageRequests);
        root.put("sessions", sessions);
        root.put("sessionRequests", sessionRequests);
        root.put("accepted202", accepted);
        root.put("errors", errorCount);
        root.put("errorRate", errorRate());
        ArrayNode errorList = root.putArray("errorsByCode");
        errors.forEach((key, count) -> errorList.addObject()
                .put("endpoint", key.endpoint())
                .put("status", key.status())
                .put("code", key.code())
                .put("count", count));
        latencyJson(root.putObject(options.openLoop() ? "turnLatencyMsFromIntended" : "turnLatencyMs"),
                turnLatency);
        if (options.openLoop()) {
            latencyJson(root.putObject("turnServiceTimeMs"), turnService);
        }
        latencyJson(root.putObject("sessionLatencyMs"), sessionLatency);
        if (abortReason != null) {
            root.put("aborted", abortReason);
        }
        root.put("interrupted", interrupted);
        root.put("passed", passed());
        return root.toString();
    }

    private static void latencyJson(ObjectNode node, LatencyHistogram.Summary s) {
        node.put("count", s.count());
        node.put("p50", round(s.p50() / 1e6));
        node.put("p95", round(s.p95() / 1e6));
        node.put("p99", round(s.p99() / 1e6));
        node.put("max", round(s.max() / 1e6));
    }

    private static void latencyRow(StringBuilder b, String name, LatencyHistogram.Summary s) {
        if (s.count() == 0) {
            b.append(String.format(Locale.ROOT, "  %-26s %9s %9s %9s %9s %9d%n", name, "-", "-", "-", "-", 0));
            return;
        }
        b.append(String.format(Locale.ROOT, "  %-26s %9.2f %9.2f %9.2f %9.2f %9d%n", name, s.p50() / 1e6,
                s.p95() / 1e6, s.p99() / 1e6, s.max() / 1e6, s.count()));
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-18s %s%n", name, value));
    }

    private static String seconds(java.time.Duration d) {
        return number(d.toNanos() / 1e9) + "s";
    }

    /** A few significant digits, no trailing zeros: 0.125, 1.5, 12.3, 411.3, 30. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        double abs = Math.abs(d);
        String s = String.format(Locale.ROOT, abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f", d);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
