package dev.parley.dialogue.nlu.bench;

import java.io.PrintStream;

/** A one-line progress bar on a terminal; a line per 10% step when the output is not a terminal. */
final class ConsoleProgress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long started = System.nanoTime();
    private int lastStep = -1;

    ConsoleProgress(PrintStream out, String label) {
        this.out = out;
        this.terminal = System.console() != null && System.getenv("NO_COLOR") == null;
        this.label = label;
    }

    void update(double done) {
        double fraction = Math.max(0, Math.min(1, done));
        if (terminal) {
            int filled = (int) Math.round(fraction * WIDTH);
            out.printf("\r  %-28s [%s%s] %3.0f%%  %5.1f s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                    100 * fraction, seconds());
            out.flush();
        } else {
            int step = (int) Math.floor(fraction * 10);
            if (step > lastStep) {
                lastStep = step;
                out.printf("  %-28s %3d%%  %5.1f s%n", label, step * 10, seconds());
            }
        }
    }

    void done() {
        update(1);
        if (terminal) {
            out.println();
        }
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
