package dev.parley.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the benchmark end to end against {@link FakeParley}. */
@Timeout(20)
class TurnBenchmarkTest {

    private static final long MS = 1_000_000L;
    /** Generous headroom above the injected delays for a busy build machine. */
    private static final long SLACK = 1_000 * MS;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final TurnBenchmark bench = new TurnBenchmark(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);

    @Test
    void closedLoopCountsTurnsAcceptedAndErrors() throws Exception {
        try (FakeParley server = new FakeParley(5, 10, 20, 3, 5)) {
            int code = bench.execute(new String[] {"--url", server.url(), "--api-key", FakeParley.API_KEY,
                    "--clients", "8", "--turns", "160", "--warmup", "0", "--turns-per-session", "10", "--json"});
            BenchReport report = bench.lastReport();
            String stdout = FakeParley.utf8(out);

            assertEquals(0, server.badRequests.get(), "requests the fake server refused");
            assertEquals(160, report.messageRequests());
            assertEquals(160, server.messagePosts.get());
            assertEquals(158, report.turns());
            assertEquals(1, report.accepted());
            assertEquals(1, report.errorCount());
            assertEquals(Map.of(new PhaseStats.ErrorKey("messages", "500", "internal"), 1L), report.errors());
            assertEquals(server.sessionPosts.get(), report.sessionRequests());
            assertEquals(server.sessionPosts.get(), report.sessions());
            assertTrue(report.sessions() >= 16 && report.sessions() <= 16 + 8, "sessions " + report.sessions());
            assertTrue(server.maxMessagesPerSession.get() <= 10, "a new session after 10 messages");
            assertEquals(0, report.warmupRequests());
            assertNull(report.abortReason());
            assertEquals(0, code, stdout);

            assertWithin(report.turnLatency(), 10 * MS, 20 * MS + SLACK);
            assertEquals(158, report.turnLatency().count());
            assertWithin(report.sessionLatency(), 5 * MS, 5 * MS + SLACK);
            assertTrue(report.turnsPerSecond() > 0);

            assertTrue(stdout.contains("closed loop"), stdout);
            assertTrue(stdout.contains("500 internal"), stdout);
            assertTrue(stdout.contains("Result: OK"), stdout);
            String[] lines = stdout.strip().split("\n");
            JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
            assertEquals(158, json.get("turns").asLong());
            assertEquals(1, json.get("accepted202").asLong());
            assertEquals("internal", json.get("errorsByCode").get(0).get("code").asText());
            assertTrue(json.get("turnLatencyMs").get("p50").asDouble() >= 10);
            assertTrue(json.get("passed").asBoolean());
            assertTrue(FakeParley.utf8(err).contains("done"), "progress on stderr");
        }
    }

    @Test
    void openLoopExcludesWarmupAndMeasuresFromIntendedTime() throws Exception {
        // The 202 and the 500 (messages 3 and 5) fall in the warm-up and must not be reported.
        primeJvm();
        try (FakeParley server = new FakeParley(2, 5, 10, 3, 5)) {
            long start = System.nanoTime();
            int code = bench.execute(new String[] {"--url", server.url(), "--api-key", FakeParley.API_KEY,
                    "--clients", "4", "--rate", "100", "--warmup", "500ms", "--duration", "700ms"});
            long elapsed = System.nanoTime() - start;
            BenchReport report = bench.lastReport();
            String stdout = FakeParley.utf8(out);

            assertEquals(0, server.badRequests.get());
            // 100/s for 0.7 s: 70 messages scheduled in the measured phase (each client rounds its share), all
            // sent unless a client was still behind when the phase ended.
            long scheduled = report.messageRequests() + report.unsent();
            assertTrue(scheduled >= 66 && scheduled <= 74, "scheduled " + scheduled + ": " + report);
            assertTrue(report.messageRequests() >= 35, "measured messages " + report.messageRequests());
            assertTrue(report.warmupRequests() > 0);
            assertEquals(server.messagePosts.get() + server.sessionPosts.get(),
                    report.requests() + report.warmupRequests());
            assertEquals(0, report.accepted());
            assertEquals(0, report.errorCount());
            assertEquals(report.messageRequests(), report.turns());
            assertEquals(0, code, stdout);
            assertTrue(report.seconds() >= 0.7 && report.seconds() < 0.7 + SLACK / 1e9, "" + report.seconds());
            // The run ends with the measured phase even if a client is behind its schedule.
            assertTrue(elapsed < 1_200 * MS + SLACK * 2, "run took " + elapsed / MS + " ms");
            assertWithin(report.turnService(), 5 * MS, 10 * MS + SLACK);
            // From the intended send time: never shorter than the service time, never below the injected delay.
            assertTrue(report.turnLatency().p50() >= report.turnService().p50() * 99 / 100);
            assertTrue(report.turnLatency().max() >= report.turnService().max() * 99 / 100);
            assertTrue(report.turnLatency().p50() >= 5 * MS);
            assertTrue(stdout.contains("open loop"), stdout);
            assertTrue(stdout.contains("intended send time"), stdout);
            assertTrue(stdout.contains("coordinated omission"), stdout);
        }
    }

    @Test
    void refusedApiKeyAbortsQuicklyWithFailure() throws Exception {
        try (FakeParley server = new FakeParley(0, 0, 0, 0, 0)) {
            long start = System.nanoTime();
            int code = bench.execute(new String[] {"--url", server.url(), "--api-key", "pk_wrong", "--clients",
                    "4", "--duration", "30s", "--no-progress"});
            assertEquals(1, code);
            assertTrue(System.nanoTime() - start < 5_000 * MS, "aborted at once");
            BenchReport report = bench.lastReport();
            assertNotNull(report.abortReason());
            assertTrue(report.abortReason().contains("401 unauthenticated"), report.abortReason());
            assertEquals(0, report.turns());
            assertTrue(FakeParley.utf8(out).contains("FAILED"));
            assertEquals("", FakeParley.utf8(err), "--no-progress keeps stderr quiet");
        }
    }

    @Test
    void unreachableServerFailsWithTransportErrors() {
        int code = bench.execute(new String[] {"--url", "http://127.0.0.1:1", "--api-key", "k", "--clients", "2",
                "--warmup", "0", "--duration", "300ms", "--no-progress"});
        assertEquals(1, code);
        BenchReport report = bench.lastReport();
        assertEquals(0, report.turns());
        assertTrue(report.errors().keySet().stream().allMatch(k -> k.status().equals("io")), "" + report.errors());
        assertTrue(FakeParley.utf8(out).contains("no turn succeeded"));
    }

    @Test
    void helpAndUsageErrors() {
        assertEquals(0, bench.execute(new String[] {"--help"}));
        assertTrue(FakeParley.utf8(out).contains("Usage: TurnBenchmark"));
        assertEquals(2, bench.execute(new String[] {"--url", "http://h"}));
        assertTrue(FakeParley.utf8(err).contains("--api-key is required"));
        assertEquals(2, bench.execute(new String[] {"--url", "http://h", "--api-key", "k", "--texts",
                "/nonexistent/texts.txt"}));
        assertTrue(FakeParley.utf8(err).contains("cannot read --texts"));
    }

    @Test
    void compareUrlSplitsTheClientsAndReportsBAgainstA() throws Exception {
        try (FakeParley fast = new FakeParley(1, 10, 10, 0, 0); FakeParley slow = new FakeParley(1, 40, 40, 0, 0)) {
            int code = bench.execute(new String[] {"--url", fast.url(), "--compare-url", slow.url(), "--api-key",
                    FakeParley.API_KEY, "--clients", "6", "--duration", "1500ms", "--warmup", "0", "--json",
                    "--no-progress"});
            String stdout = FakeParley.utf8(out);
            assertEquals(0, code, stdout);
            List<BenchReport> reports = bench.lastReports();
            assertEquals(2, reports.size());
            BenchReport a = reports.get(0);
            BenchReport b = reports.get(1);
            assertEquals(fast.url(), a.options().url().toString());
            assertEquals(slow.url(), b.options().url().toString());
            assertEquals(3, a.options().clients());
            assertEquals(3, b.options().clients());
            // every request of each side reached its own server, and nothing else did
            assertEquals(fast.messagePosts.get(), a.messageRequests());
            assertEquals(slow.messagePosts.get(), b.messageRequests());
            assertEquals(fast.sessionPosts.get(), a.sessionRequests());
            assertEquals(slow.sessionPosts.get(), b.sessionRequests());
            assertWithin(a.turnLatency(), 10 * MS, 10 * MS + SLACK);
            assertWithin(b.turnLatency(), 40 * MS, 40 * MS + SLACK);
            assertTrue(b.turnsPerSecond() < a.turnsPerSecond(), a.turnsPerSecond() + " vs " + b.turnsPerSecond());
            assertTrue(stdout.contains("Side A (--url)") && stdout.contains("Side B (--compare-url)"), stdout);
            String row = stdout.lines().filter(l -> l.strip().startsWith("turns/s ")).findFirst().orElseThrow();
            double change = Double.parseDouble(row.strip().split("\\s+")[3]);
            double expected = (b.turnsPerSecond() - a.turnsPerSecond()) / a.turnsPerSecond() * 100;
            assertEquals(expected, change, 0.06, row);
            assertTrue(change < -30, row);
            assertEquals(2, stdout.lines().filter(l -> l.startsWith("{")).count(), "one JSON line per side");
        }
    }

    @Test
    void textsFileSkipsBlankLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("texts.txt");
        java.nio.file.Files.writeString(file, "hello\n\n  card lost  \n");
        assertEquals(List.of("hello", "card lost"), BenchTexts.load(file));
        assertTrue(BenchTexts.BUILT_IN.size() >= 30);
        assertTrue(BenchTexts.BUILT_IN.contains("My card still hasn't arrived"));
    }

    /**
     * A short closed-loop run against a throwaway server, so that class loading and the first compilations
     * of client and server do not put the open-loop schedule behind from the start.
     */
    private static void primeJvm() throws Exception {
        try (FakeParley server = new FakeParley(0, 1, 1, 0, 0)) {
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            int code = new TurnBenchmark(sink, sink, Map.of(), false).execute(new String[] {"--url", server.url(),
                    "--api-key", FakeParley.API_KEY, "--clients", "4", "--turns", "40", "--warmup", "0",
                    "--no-progress"});
            assertEquals(0, code);
        }
    }

    private static void assertWithin(LatencyHistogram.Summary s, long low, long high) {
        for (long v : new long[] {s.p50(), s.p95(), s.p99(), s.max()}) {
            assertTrue(v >= low && v <= high, v / 1e6 + " ms not in [" + low / 1e6 + ", " + high / 1e6 + "] ms: " + s);
        }
    }
}
