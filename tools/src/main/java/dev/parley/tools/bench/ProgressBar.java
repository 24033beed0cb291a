package dev.parley.tools.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The progress display on stderr: redrawn in place twice a second on a terminal, a plain line every few
 * seconds (and at each phase change) when stderr is a file or a pipe.
 */
final class ProgressBar {

    /** Live counters of the run, both phases together, except {@code measuredMessages}. */
    record Snapshot(long turns, long errors, long accepted, long measuredMessages) {
    }

    static final long TICK_MILLIS = 500;
    static final long PLAIN_EVERY_MILLIS = 5_000;
    private static final long RATE_WINDOW_NANOS = 2_000_000_000L;
    private static final int BAR_WIDTH = 20;

    private final PrintStream err;
    private final boolean tty;
    private final Supplier<Snapshot> source;
    private final BenchOptions options;
    private final long t0;
    private final long measureStart;
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private volatile boolean running;
    private Thread thread;
    private String lastPhase;
    private long lastPlainLine;
    private int lastWidth;

    ProgressBar(PrintStream err, boolean tty, Supplier<Snapshot> source, BenchOptions options, long t0,
            long measureStart) {
        this.err = err;
        this.tty = tty;
        this.source = source;
        this.options = options;
        this.t0 = t0;
        this.measureStart = measureStart;
    }

    void start() {
        running = true;
        lastPlainLine = System.nanoTime();
        window.addLast(new long[] {t0, 0});
        thread = Thread.ofPlatform().daemon().name("bench-progress").start(() -> {
            while (running) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (running) {
                    tick(null);
                }
            }
        });
    }

    /** Stops the updates and draws the last line: "done", or "stopped" when the run ended early. */
    void finish(boolean completed) {
        if (thread == null) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        tick(completed ? "done" : "stopped");
        if (tty) {
            err.println();
        }
        err.flush();
    }

    private synchronized void tick(String finalPhase) {
        long now = System.nanoTime();
        Snapshot s = source.get();
        window.addLast(new long[] {now, s.turns()});
        while (window.size() > 2 && now - window.peekFirst()[0] > RATE_WINDOW_NANOS) {
            window.removeFirst();
        }
        long[] first = window.peekFirst();
        double rate = now - first[0] > 0 ? (s.turns() - first[1]) * 1e9 / (now - first[0]) : 0;

        boolean last = finalPhase != null;
        String phase = last ? finalPhase : phase(now);
        String line = line(now, phase, rate, s);
        if (tty) {
            // Pad instead of relying on an erase sequence, so even a dumb terminal shows a clean line.
            String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
            lastWidth = line.length();
            err.print('\r' + padded);
            err.flush();
        } else if (last || !phase.equals(lastPhase) || now - lastPlainLine >= PLAIN_EVERY_MILLIS * 1_000_000) {
            err.println(line);
            err.flush();
            lastPlainLine = now;
        }
        lastPhase = phase;
    }

    private String phase(long now) {
        if (now - measureStart < 0) {
            return "warm-up";
        }
        if (options.durationMode() && now - measureStart - options.duration().toNanos() >= 0) {
            return "draining";
        }
        return "measuring";
    }

    private String line(long now, String phase, double rate, Snapshot s) {
        double elapsed = (now - t0) / 1e9;
        double warmup = options.warmup().toNanos() / 1e9;
        String where;
        double fraction;
        if (options.durationMode()) {
            double total = warmup + options.duration().toNanos() / 1e9;
            fraction = elapsed / total;
            where = String.format(Locale.ROOT, "%5.1fs/%.1fs", Math.min(elapsed, total), total);
        } else if (phase.equals("warm-up")) {
            fraction = elapsed / warmup;
            where = String.format(Locale.ROOT, "%5.1fs/%.1fs", elapsed, warmup);
        } else {
            fraction = (double) s.measuredMessages() / options.turns();
            where = String.format(Locale.ROOT, "%d/%d msgs", Math.min(s.measuredMessages(), options.turns()),
                    options.turns());
        }
        if (phase.equals("done")) {
            fraction = 1;
        }
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
        // Short enough for an 80-column terminal, where a wrapped line could not be redrawn in place.
        return String.format(Locale.ROOT, "%-9s [%s] %s  %6.1f turns/s  errors %d  202s %d", phase, bar, where,
                rate, s.errors(), s.accepted());
    }

    /**
     * Whether stderr is a terminal. Java has no direct test: on Linux, file descriptor 2 of a terminal links
     * to a tty device; elsewhere fall back to whether the JVM has an interactive console.
     */
    static boolean stderrIsTerminal() {
        String term = System.getenv("TERM");
        if ("dumb".equals(term)) {
            return false;
        }
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // not Linux or no /proc: fall through
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; isTerminal() tells the difference.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
