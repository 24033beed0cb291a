package dev.parley.tools.knowledge;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn in place on a terminal and printed every 10% otherwise. */
final class Progress {

    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean tty;
    private final String phase;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;

    Progress(PrintStream err, boolean tty, String phase, long total) {
        this.err = err;
        this.tty = tty;
        this.phase = phase;
        this.total = Math.max(1, total);
    }

    void update(long done) {
        long now = System.nanoTime();
        int decile = (int) (done * 10 / total);
        if (tty && now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        if (!tty && decile == lastDecile && done < total) {
            return;
        }
        lastDraw = now;
        lastDecile = decile;
        int filled = (int) (done * WIDTH / total);
        double seconds = (now - started) / 1e9;
        String line = String.format("%-28s [%s%s] %3d%% %,d/%,d %.0fs", phase, "=".repeat(filled),
                " ".repeat(WIDTH - filled), done * 100 / total, done, total, seconds);
        if (tty) {
            err.print("\r" + line);
            if (done >= total) {
                err.println();
            }
        } else {
            err.println(line);
        }
        err.flush();
    }
}
