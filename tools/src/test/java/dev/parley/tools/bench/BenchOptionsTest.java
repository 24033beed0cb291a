package dev.parley.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, Map.of());
    }

    private static String error(String... args) {
        return assertThrows(BenchOptions.UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() {
        BenchOptions o = parse("--url", "http://127.0.0.1:18080/", "--api-key", "pk_test");
        assertEquals(URI.create("http://127.0.0.1:18080"), o.url(), "trailing slash dropped");
        assertEquals("pk_test", o.apiKey());
        assertEquals(32, o.clients());
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(Duration.ofSeconds(10), o.warmup());
        assertEquals(0, o.turns());
        assertTrue(o.durationMode());
        assertFalse(o.openLoop());
        assertEquals(10, o.turnsPerSession());
        assertFalse(o.json());
        assertNull(o.textsFile());
        assertEquals(Duration.ofSeconds(30), o.timeout());
        assertTrue(o.progress());
        assertFalse(o.help());
    }

    @Test
    void everyOptionInBothForms() {
        BenchOptions o = parse("--url=https://bots.example.test/api", "--api-key=pk_x", "--clients", "64",
                "--turns=5000", "--warmup", "2s", "--rate", "250.5", "--turns-per-session=3", "--json",
                "--texts", "texts.txt", "--timeout=1500ms", "--no-progress");
        assertEquals(URI.create("https://bots.example.test/api"), o.url());
        assertEquals(64, o.clients());
        assertEquals(5000, o.turns());
        assertNull(o.duration());
        assertFalse(o.durationMode());
        assertEquals(Duration.ofSeconds(2), o.warmup());
        assertEquals(250.5, o.rate());
        assertTrue(o.openLoop());
        assertEquals(3, o.turnsPerSession());
        assertTrue(o.json());
        assertEquals(Path.of("texts.txt"), o.textsFile());
        assertEquals(Duration.ofMillis(1500), o.timeout());
        assertFalse(o.progress());
    }

    @ParameterizedTest
    @CsvSource({"30s,30000", "500ms,500", "1.5s,1500", "2m,120000", "1h,3600000", "45,45000", "0,0",
            "10 S,10000"})
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), BenchOptions.parseDuration("--duration", text));
    }

    @Test
    void apiKeyFromTheEnvironment() {
        BenchOptions o = BenchOptions.parse(new String[] {"--url", "http://localhost:8080"},
                Map.of(BenchOptions.API_KEY_ENV, "pk_env"));
        assertEquals("pk_env", o.apiKey());
        BenchOptions explicit = BenchOptions.parse(new String[] {"--url", "http://localhost:8080", "--api-key",
                "pk_arg"}, Map.of(BenchOptions.API_KEY_ENV, "pk_env"));
        assertEquals("pk_arg", explicit.apiKey());
    }

    @Test
    void helpNeedsNothingElse() {
        assertTrue(parse("--help").help());
        assertTrue(parse("--clients", "3", "-h").help());
        assertTrue(BenchOptions.usage().contains("--turns-per-session"));
    }

    @Test
    void rejectsBadCommandLines() {
        assertTrue(error("--api-key", "k").contains("--url is required"));
        assertTrue(error("--url", "http://h").contains("--api-key is required"));
        assertTrue(error("--url", "ftp://h", "--api-key", "k").contains("http(s)"));
        assertTrue(error("--url", "localhost:8080", "--api-key", "k").contains("http(s)"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--duration", "10s", "--turns", "5")
                .contains("not both"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--clients", "0").contains("between 1"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--clients", "many").contains("whole number"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--rate", "-3").contains("positive"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--rate", "NaN").contains("positive"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--duration", "soon").contains("duration"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--duration", "0s").contains("positive"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--turns-per-session", "0").contains("between"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--bogus", "1").contains("unknown option --bogus"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "stray").contains("unexpected argument"));
        assertTrue(error("--url", "http://h", "--api-key").contains("needs a value"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--json=yes").contains("no value"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--compare-url", "ftp://g").contains("--compare-url"));
        assertTrue(error("--url", "http://h", "--api-key", "k", "--compare-url", "http://g", "--clients", "1")
                .contains("at least 2"));
    }

    @Test
    void compareUrlSplitsClientsAndRate() {
        BenchOptions o = parse("--url", "http://a:1", "--compare-url", "http://b:2/", "--api-key", "k", "--clients",
                "5", "--rate", "100");
        assertTrue(o.comparing());
        assertEquals(URI.create("http://a:1"), o.side(0).url());
        assertEquals(URI.create("http://b:2"), o.side(1).url());
        assertEquals(3, o.side(0).clients());
        assertEquals(2, o.side(1).clients());
        assertEquals(60.0, o.side(0).rate(), 1e-9);
        assertEquals(40.0, o.side(1).rate(), 1e-9);
        BenchOptions single = parse("--url", "http://a:1", "--api-key", "k");
        assertEquals(single, single.side(0));
    }
}
