package dev.parley.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Load generator for the public HTTP API of a running Parley stack: concurrent virtual users open sessions
 * and send messages, and the tool prints turns per second and latency percentiles. Run with {@code --help}
 * for the options.
 *
 * <pre>
 * java -cp tools/target/classes:$(cat tools/target/classpath.txt) dev.parley.tools.bench.TurnBenchmark \
 *     --url http://127.0.0.1:18080 --api-key pk_xxx --clients 32 --duration 30s
 * </pre>
 *
 * Exit status: 0 when turns succeeded and at most 1 % of the requests failed, 1 otherwise, 2 for a bad
 * command line.
 */
public final class TurnBenchmark {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean stderrTty;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile BenchRunner runner;
    private volatile boolean interrupted;
    private volatile List<BenchReport> lastReports = List.of();

    public TurnBenchmark(PrintStream out, PrintStream err, Map<String, String> env, boolean stderrTty) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.stderrTty = stderrTty;
    }

    public static void main(String[] args) {
        TurnBenchmark bench = new TurnBenchmark(System.out, System.err, System.getenv(),
                ProgressBar.stderrIsTerminal());
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: stop the clients and let execute() print the results of what was measured so far.
        Thread hook = new Thread(() -> {
            bench.interrupt();
            try {
                done.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = bench.execute(args);
        System.out.flush();
        System.err.flush();
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            return;
        }
        System.exit(code);
    }

    /** Stops a running benchmark early; {@link #execute} then reports what was measured so far. */
    public void interrupt() {
        interrupted = true;
        BenchRunner r = runner;
        if (r != null) {
            r.interrupt();
        }
    }

    /** The report of the last completed {@link #execute} call (its {@code --url} side), or {@code null}. */
    public BenchReport lastReport() {
        return lastReports.isEmpty() ? null : lastReports.get(0);
    }

    /** The reports of the last completed {@link #execute} call: the {@code --url} side, then any compared side. */
    public List<BenchReport> lastReports() {
        return lastReports;
    }

    /** Runs the benchmark described by {@code args} and returns the exit status. */
    public int execute(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, env);
        } catch (BenchOptions.UsageException e) {
            err.println("TurnBenchmark: " + e.getMessage());
            err.println("Run with --help for the options.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(BenchOptions.usage());
            out.flush();
            return EXIT_OK;
        }
        List<String> texts;
        String textsDescription;
        try {
            texts = BenchTexts.load(options.textsFile());
            textsDescription = options.textsFile() == null
                    ? texts.size() + " built-in online-banking texts"
                    : texts.size() + " from " + options.textsFile();
        } catch (IOException e) {
            err.println("TurnBenchmark: cannot read --texts: " + e.getMessage());
            return EXIT_USAGE;
        }

        BenchRunner r = new BenchRunner(options, texts, textsDescription, err, stderrTty, mapper);
        runner = r;
        if (interrupted) {
            r.interrupt();
        }
        if (options.progress()) {
            String what = options.durationMode()
                    ? "measuring for " + BenchReport.number(options.duration().toNanos() / 1e9) + "s"
                    : "measuring " + options.turns() + " message requests";
            err.printf("Benchmarking %s with %d clients: %ss warm-up, then %s. Ctrl-C stops early.%n",
                    options.comparing() ? options.url() + " and " + options.compareUrl() : options.url(),
                    options.clients(), BenchReport.number(options.warmup().toNanos() / 1e9),
                    what);
            err.flush();
        }
        List<BenchReport> reports;
        try {
            reports = r.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("TurnBenchmark: interrupted");
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("TurnBenchmark: " + e);
            return EXIT_FAILED;
        } finally {
            runner = null;
        }
        lastReports = List.copyOf(reports);
        if (reports.size() == 1) {
            out.print(reports.get(0).render());
        } else {
            out.print("Side A (--url)\n" + reports.get(0).render() + "\nSide B (--compare-url)\n"
                    + reports.get(1).render() + "\n" + BenchReport.comparison(reports.get(0), reports.get(1)));
        }
        if (options.json()) {
            for (BenchReport report : reports) {
                out.println(report.toJson(mapper));
            }
        }
        out.flush();
        return reports.stream().mapToInt(BenchReport::exitCode).max().orElse(EXIT_FAILED);
    }
}
