package dev.parley.tools.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@link TurnBenchmark}.
 *
 * @param url             base URL of the public API, without a trailing slash
 * @param compareUrl      a second base URL that half of the clients drive at the same time, for an A/B
 *                        comparison of two deployments under the same load; {@code null} for none
 * @param apiKey          sent as {@code Authorization: Bearer <apiKey>}
 * @param clients         concurrent virtual users, one virtual thread each
 * @param duration        length of the measured phase; {@code null} when {@link #turns()} is set
 * @param warmup          length of the warm-up phase whose samples are discarded (may be zero)
 * @param turns           message requests to measure instead of a duration; 0 in duration mode
 * @param rate            open-loop arrival rate in turns per second; 0 for a closed loop
 * @param turnsPerSession after this many messages a client opens a new session
 * @param json            also print one JSON summary line
 * @param textsFile       one message text per line; {@code null} for the built-in texts
 * @param timeout         per-request timeout
 * @param progress        draw the progress bar on stderr
 * @param help            {@code --help} was given: print the usage and nothing else
 */
public record BenchOptions(
        URI url,
        URI compareUrl,
        String apiKey,
        int clients,
        Duration duration,
        Duration warmup,
        long turns,
        double rate,
        int turnsPerSession,
        boolean json,
        Path textsFile,
        Duration timeout,
        boolean progress,
        boolean help) {

    public static final int DEFAULT_CLIENTS = 32;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);
    public static final int DEFAULT_TURNS_PER_SESSION = 10;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Read when {@code --api-key} is not given, so the key need not appear in the shell history. */
    public static final String API_KEY_ENV = "PARLEY_API_KEY";

    /** A command line that cannot be run; the message says why. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    public boolean durationMode() {
        return turns == 0;
    }

    public boolean openLoop() {
        return rate > 0;
    }

    public boolean comparing() {
        return compareUrl != null;
    }

    /**
     * The options as one side of a comparison sees them: its URL, its share of the clients (client {@code c}
     * drives side {@code c % 2}) and of an open-loop rate.
     */
    public BenchOptions side(int side) {
        if (!comparing()) {
            return this;
        }
        int sideClients = side == 0 ? (clients + 1) / 2 : clients / 2;
        return new BenchOptions(side == 0 ? url : compareUrl, null, apiKey, sideClients, duration, warmup, turns,
                rate * sideClients / clients, turnsPerSession, json, textsFile, timeout, progress, help);
    }

    public static String usage() {
        return """
                Usage: TurnBenchmark --url URL --api-key KEY [options]

                Drives the public HTTP API of a running Parley stack with concurrent virtual users
                (POST /v1/sessions, then POST /v1/messages) and prints throughput and latency.
                A turn is one POST /v1/messages answered 200 with a reply.

                Options:
                  --url URL                 base URL of the API, e.g. http://127.0.0.1:18080 (required)
                  --compare-url URL         A/B: half of the clients drive this second deployment (say, a
                                            gateway replica with another setting) at the same time; both
                                            sides are reported, then B against A. Both sides share the
                                            rest of the stack and the same moment, so drift between runs
                                            does not enter the comparison.
                  --api-key KEY             API key sent as "Authorization: Bearer KEY"
                                            (default: the PARLEY_API_KEY environment variable)
                  --clients N               concurrent virtual users (default 32)
                  --duration D              length of the measured phase (default 30s)
                  --turns N                 measure N message requests instead of a duration
                  --warmup D                warm-up before measuring, excluded from the results (default 10s)
                  --rate R                  open loop: fixed arrival rate of R turns/s spread over the clients;
                                            latency is measured from each request's intended send time.
                                            Each client sends every clients/R seconds, so give more
                                            clients than R x the expected latency in seconds.
                                            Without it the loop is closed: each client sends its next
                                            message as soon as it has the reply.
                  --turns-per-session K     a client opens a new session after K messages (default 10)
                  --texts FILE              message texts, one per line (default: built-in banking questions)
                  --timeout D               per-request timeout (default 30s)
                  --json                    also print one JSON summary line at the end
                  --no-progress             no progress bar on stderr
                  -h, --help                print this help

                Durations: 500ms, 30s, 1.5s, 2m, 1h (a bare number means seconds).
                Exit status: 0 if turns succeeded and at most 1 % of the requests failed, 1 otherwise,
                2 for a bad command line.
                """;
    }

    /** Parses {@code args}; {@code env} supplies the API key when {@code --api-key} is absent. */
    public static BenchOptions parse(String[] args, Map<String, String> env) {
        String url = null;
        String compareUrl = null;
        String apiKey = null;
        int clients = DEFAULT_CLIENTS;
        Duration duration = null;
        Duration warmup = DEFAULT_WARMUP;
        long turns = 0;
        double rate = 0;
        int turnsPerSession = DEFAULT_TURNS_PER_SESSION;
        boolean json = false;
        Path textsFile = null;
        Duration timeout = DEFAULT_TIMEOUT;
        boolean progress = true;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return new BenchOptions(null, null, null, clients, DEFAULT_DURATION, warmup, 0, 0, turnsPerSession,
                            false, null, timeout, progress, true);
                }
                case "--json", "--no-progress" -> {
                    if (inline != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    if (name.equals("--json")) {
                        json = true;
                    } else {
                        progress = false;
                    }
                }
                default -> {
                    if (!name.startsWith("-")) {
                        throw new UsageException("unexpected argument '" + arg + "'");
                    }
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--url" -> url = value;
                        case "--compare-url" -> compareUrl = value;
                        case "--api-key" -> apiKey = value;
                        case "--clients" -> clients = (int) parseLong(name, value, 1, 100_000);
                        case "--duration" -> duration = parseDuration(name, value);
                        case "--warmup" -> warmup = parseDuration(name, value);
                        case "--turns" -> turns = parseLong(name, value, 1, Long.MAX_VALUE / 2);
                        case "--rate" -> rate = parsePositiveDouble(name, value);
                        case "--turns-per-session" -> turnsPerSession =
                                (int) parseLong(name, value, 1, Integer.MAX_VALUE);
                        case "--texts" -> textsFile = Path.of(value);
                        case "--timeout" -> timeout = parseDuration(name, value);
                        default -> throw new UsageException("unknown option " + name);
                    }
                }
            }
        }

        if (url == null || url.isBlank()) {
            throw new UsageException("--url is required");
        }
        URI uri = parseUrl("--url", url);
        URI compareUri = compareUrl == null ? null : parseUrl("--compare-url", compareUrl);
        if (compareUri != null && clients < 2) {
            throw new UsageException("--compare-url needs at least 2 --clients (they are split between the URLs)");
        }
        if (apiKey == null && env != null) {
            apiKey = env.get(API_KEY_ENV);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new UsageException("--api-key is required (or set " + API_KEY_ENV + ")");
        }
        if (duration != null && turns > 0) {
            throw new UsageException("give either --duration or --turns, not both");
        }
        if (turns == 0) {
            if (duration == null) {
                duration = DEFAULT_DURATION;
            }
            if (duration.isZero()) {
                throw new UsageException("--duration must be positive");
            }
        }
        if (timeout.isZero()) {
            throw new UsageException("--timeout must be positive");
        }
        return new BenchOptions(uri, compareUri, apiKey.strip(), clients, duration, warmup, turns, rate, turnsPerSession, json,
                textsFile, timeout, progress, false);
    }

    private static URI parseUrl(String name, String url) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new UsageException(name + " must be an http(s) URL with a host, got '" + url + "'");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new UsageException(name + " must not have a query or fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException(name + " is not a valid URL: " + e.getMessage());
        }
    }

    private static long parseLong(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a whole number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static double parsePositiveDouble(String name, String value) {
        double d;
        try {
            d = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number, got '" + value + "'");
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new UsageException(name + " must be a positive number, got '" + value + "'");
        }
        return d;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    /** Parses {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(name + " expects a duration such as 30s, 500ms or 2m, got '" + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanosPerUnit = switch (unit) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        double nanos = amount * nanosPerUnit;
        if (nanos > 365 * 24 * 3600e9) {
            throw new UsageException(name + " is too long: " + value);
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
