package dev.parley.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;

/**
 * The analytics export benchmark: seeds N messages (default one million) straight into session-service's database
 * with COPY, streams {@code GET /v1/analytics/messages} for exactly those rows through the gateway, and prints the
 * rows per second and the gateway's heap (sampled from its Prometheus {@code jvm_memory_used_bytes} during the run).
 * The seeded rows sit in a range of time of their own (2001-01-01) in their own tenant, and are deleted afterwards
 * unless {@code --keep}.
 *
 * <pre>
 * java -cp tools/target/classes:$(cat tools/target/classpath.txt) dev.parley.tools.bench.ExportBenchmark \
 *     --url http://127.0.0.1:18080 --api-key $PARLEY_API_KEY --tenant demo \
 *     --jdbc jdbc:postgresql://127.0.0.1:25432/parley_session --messages 1000000
 * </pre>
 */
public final class ExportBenchmark {

    static final Instant EPOCH = Instant.parse("2001-01-01T00:00:00Z");
    static final int MESSAGES_PER_CONVERSATION = 100;

    record Options(String url, String apiKey, String tenant, String jdbc, String dbUser, String dbPassword,
            long messages, String format, boolean keep) {

        static Options parse(String[] args) {
            String url = env("PARLEY_URL", "http://127.0.0.1:18080");
            String apiKey = env("PARLEY_API_KEY", null);
            String tenant = "demo";
            String jdbc = "jdbc:postgresql://127.0.0.1:25432/parley_session";
            String dbUser = "parley";
            String dbPassword = "parley";
            long messages = 1_000_000;
            String format = "ndjson";
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--url" -> { url = value; i++; }
                    case "--api-key" -> { apiKey = value; i++; }
                    case "--tenant" -> { tenant = value; i++; }
                    case "--jdbc" -> { jdbc = value; i++; }
                    case "--db-user" -> { dbUser = value; i++; }
                    case "--db-password" -> { dbPassword = value; i++; }
                    case "--messages" -> { messages = Long.parseLong(value.replace("_", "")); i++; }
                    case "--format" -> { format = value; i++; }
                    case "--keep" -> keep = true;
                    case "--help", "-h" -> {
                        System.out.println("""
                                ExportBenchmark: rows/s of GET /v1/analytics/messages through the gateway, and its heap.
                                  --url URL            gateway (default $PARLEY_URL or http://127.0.0.1:18080)
                                  --api-key KEY        an API key with conversations:read (default $PARLEY_API_KEY)
                                  --tenant ID          the key's tenant (default demo)
                                  --jdbc URL           session-service's database (default jdbc:postgresql://127.0.0.1:25432/parley_session)
                                  --db-user, --db-password   (default parley / parley)
                                  --messages N         rows to seed and export (default 1000000)
                                  --format ndjson|csv  (default ndjson)
                                  --keep               keep the seeded rows afterwards""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("--api-key (or PARLEY_API_KEY) is required");
            }
            if (messages < 1) {
                throw new IllegalArgumentException("--messages must be positive");
            }
            return new Options(url.replaceAll("/+$", ""), apiKey, tenant, jdbc, dbUser, dbPassword, messages, format,
                    keep);
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("export benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new ExportBenchmark().run(options, System.out, System.err));
    }

    int run(Options o, PrintStream out, PrintStream err) throws Exception {
        String marker = "bench-export-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = DriverManager.getConnection(o.jdbc(), o.dbUser(), o.dbPassword())) {
            long seedStart = System.nanoTime();
            seed(db, o, marker, err);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            err.printf(Locale.ROOT, "seeded %,d messages in %.1f s%n", o.messages(), seedSeconds);
            try {
                return export(o, out, err, seedSeconds);
            } finally {
                if (!o.keep()) {
                    cleanUp(db, marker);
                }
            }
        }
    }

    /** One conversation per 100 messages, alternating user and bot, one millisecond apart from 2001-01-01. */
    static void seed(Connection db, Options o, String marker, PrintStream err)
            throws SQLException, IOException, InterruptedException {
        db.setAutoCommit(false);
        var copy = ((PGConnection) db.unwrap(PGConnection.class)).getCopyAPI();
        long conversations = (o.messages() + MESSAGES_PER_CONVERSATION - 1) / MESSAGES_PER_CONVERSATION;
        var conversationIds = new ArrayList<UUID>((int) conversations);
        var rows = new StringBuilder();
        for (long c = 0; c < conversations; c++) {
            UUID id = UUID.randomUUID();
            conversationIds.add(id);
            String at = EPOCH.plusMillis(c * MESSAGES_PER_CONVERSATION).toString();
            rows.append(id).append('\t').append(o.tenant()).append("\tbench-bot\t").append(marker).append('-')
                    .append(c % 1000).append("\tclosed\t").append(at).append('\t').append(at).append('\t')
                    .append(MESSAGES_PER_CONVERSATION).append('\n');
        }
        copy.copyIn("COPY conversations (id, tenant_id, bot_id, user_id, status, started_at, last_activity_at, "
                + "message_count) FROM STDIN", new StringReader(rows.toString()));
        var seeded = new AtomicLong();
        var progress = new Progress(err, "seeding", o.messages(), seeded::get);
        progress.start();
        long batch = 50_000;
        for (long from = 0; from < o.messages(); from += batch) {
            rows.setLength(0);
            UUID turn = null;
            for (long i = from; i < Math.min(o.messages(), from + batch); i++) {
                UUID conversation = conversationIds.get((int) (i / MESSAGES_PER_CONVERSATION));
                boolean user = i % 2 == 0;
                if (user) {
                    turn = UUID.randomUUID();
                }
                String at = EPOCH.plusMillis(i - (user ? 0 : 1)).toString();
                UUID id = user ? turn : UUID.randomUUID();
                rows.append(id).append('\t').append(conversation).append('\t').append(o.tenant()).append('\t')
                        .append(user ? "user" : "bot").append('\t')
                        .append(user ? "Where is my card? It has been " + i % 30 + " days" : "Cards arrive within 5 working days.")
                        .append('\t').append(at).append('\t').append(turn).append('\t').append(user ? 0 : 1)
                        .append('\t').append(user ? "\\N" : turn.toString()).append('\t')
                        .append(user ? "\\N" : i % 10 == 1 ? "fallback" : "card_arrival").append('\t')
                        .append(user ? "\\N" : "0.87").append('\t').append(EPOCH.plusMillis(i)).append('\n');
            }
            copy.copyIn("COPY messages (id, conversation_id, tenant_id, role, text, turn_at, turn_id, position, "
                    + "in_reply_to, intent_name, intent_confidence, created_at) FROM STDIN",
                    new StringReader(rows.toString()));
            seeded.set(Math.min(o.messages(), from + batch));
        }
        db.commit();
        progress.finish();
        try (var analyze = db.createStatement()) {
            analyze.execute("ANALYZE messages");
        }
        db.commit();
    }

    int export(Options o, PrintStream out, PrintStream err, double seedSeconds) throws Exception {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var heap = new HeapSampler(client, o.url() + "/q/metrics");
        long baseline = heap.sample();
        heap.start();
        String path = "/v1/analytics/messages?format=" + o.format() + "&from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z";
        var rows = new AtomicLong();
        var progress = new Progress(err, "export", o.messages(), rows::get);
        long start = System.nanoTime();
        long firstByteNanos = -1;
        long bytes = 0;
        progress.start();
        try {
            var response = client.send(HttpRequest.newBuilder(URI.create(o.url() + path))
                    .header("Authorization", "Bearer " + o.apiKey()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                progress.finish();
                err.println("export failed: HTTP " + response.statusCode() + " "
                        + new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                return 1;
            }
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[64 * 1024];
                int read;
                long lines = 0;
                while ((read = body.read(buffer)) >= 0) {
                    if (firstByteNanos < 0 && read > 0) {
                        firstByteNanos = System.nanoTime() - start;
                    }
                    bytes += read;
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    rows.set(o.format().equals("csv") ? Math.max(0, lines - 1) : lines);
                }
            }
        } finally {
            progress.finish();
            heap.stop();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long exported = rows.get();
        out.printf(Locale.ROOT, "Export benchmark: GET %s through the gateway%n", path);
        out.printf(Locale.ROOT, "  rows exported        %,d of %,d seeded (%s)%n", exported, o.messages(), o.format());
        out.printf(Locale.ROOT, "  time                 %.2f s (first byte after %.0f ms)%n", seconds,
                firstByteNanos / 1e6);
        out.printf(Locale.ROOT, "  throughput           %,.0f rows/s, %.1f MB/s%n", exported / seconds,
                bytes / seconds / 1e6);
        out.printf(Locale.ROOT, "  gateway heap used    %.1f MB before, peak %.1f MB during (%d samples, every %d ms)%n",
                baseline / 1e6, heap.peak() / 1e6, heap.samples(), HeapSampler.EVERY_MILLIS);
        out.printf(Locale.ROOT, "  seeding (COPY)       %.1f s%n", seedSeconds);
        return exported == o.messages() ? 0 : 1;
    }

    static void cleanUp(Connection db, String marker) throws SQLException {
        db.setAutoCommit(true);
        try (var delete = db.prepareStatement("DELETE FROM conversations WHERE bot_id = 'bench-bot' AND user_id LIKE ?")) {
            delete.setString(1, marker + "-%");
            delete.executeUpdate();
        }
    }

    /** Reads the gateway's heap in use from its Prometheus endpoint, all heap pools summed, keeping the peak. */
    static final class HeapSampler {
        static final long EVERY_MILLIS = 100;
        private final HttpClient client;
        private final URI metrics;
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        HeapSampler(HttpClient client, String metrics) {
            this.client = client;
            this.metrics = URI.create(metrics);
        }

        long sample() throws IOException, InterruptedException {
            var text = client.send(HttpRequest.newBuilder(metrics).header("Accept", "text/plain").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long used = heapUsed(text);
            peak.accumulateAndGet(used, Math::max);
            samples.incrementAndGet();
            return used;
        }

        static long heapUsed(String prometheusText) {
            double sum = 0;
            for (String line : prometheusText.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        }

        void start() {
            running = true;
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (running) {
                    try {
                        sample();
                        Thread.sleep(EVERY_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        // a missed sample; the next one counts
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2_000);
        }

        long peak() {
            return peak.get();
        }

        long samples() {
            return samples.get();
        }
    }

    /** A one-line progress bar on stderr, redrawn in place on a terminal, a line every few seconds otherwise. */
    static final class Progress {
        private final PrintStream err;
        private final String label;
        private final long total;
        private final java.util.function.LongSupplier done;
        private final boolean tty = ProgressBar.stderrIsTerminal();
        private final long start = System.nanoTime();
        private volatile boolean running;
        private Thread thread;

        Progress(PrintStream err, String label, long total, java.util.function.LongSupplier done) {
            this.err = err;
            this.label = label;
            this.total = total;
            this.done = done;
        }

        void start() {
            running = true;
            thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
                long ticks = 0;
                while (running) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (tty || ++ticks % 10 == 0) {
                        draw(false);
                    }
                }
            });
        }

        void finish() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(1_000);
            draw(true);
        }

        private synchronized void draw(boolean last) {
            long now = done.getAsLong();
            double seconds = (System.nanoTime() - start) / 1e9;
            double fraction = Math.min(1, (double) now / total);
            int filled = (int) Math.round(fraction * 30);
            String line = String.format(Locale.ROOT, "%-8s [%s%s] %,d/%,d rows  %,.0f rows/s  %.1fs", label,
                    "#".repeat(filled), ".".repeat(30 - filled), now, total, now / Math.max(seconds, 1e-9), seconds);
            if (tty) {
                err.print('\r' + line + (last ? "\n" : ""));
            } else {
                err.println(line);
            }
            err.flush();
        }
    }

}
