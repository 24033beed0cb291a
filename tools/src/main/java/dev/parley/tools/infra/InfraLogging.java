package dev.parley.tools.infra;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Library logging of the LocalInfra JVM. Kafka and zonky log through SLF4J, which slf4j-jdk14 hands to
 * java.util.logging; this sends all of it to one appended file (WARN and above unless verbose), never to the
 * console, so the console (the script's infra.log) only carries LocalInfra's own step lines.
 */
final class InfraLogging {

    private InfraLogging() {
    }

    static void install(Path file, boolean verbose) throws IOException {
        Files.createDirectories(file.getParent());
        LogManager.getLogManager().reset(); // drops the default console handler
        Logger root = Logger.getLogger("");
        root.setLevel(verbose ? Level.INFO : Level.WARNING);
        // Kafka's request/state-change loggers are chatty even at INFO and useless here.
        Logger.getLogger("kafka.request.logger").setLevel(Level.WARNING);
        Logger.getLogger("state.change.logger").setLevel(Level.WARNING);
        var handler = new StreamHandler(new FileOutputStream(file.toFile(), true), new LineFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
    }

    private static final class LineFormatter extends Formatter {

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord record) {
            var line = new StringBuilder(160)
                    .append(TIME.format(record.getInstant())).append(' ')
                    .append(level(record.getLevel())).append(' ')
                    .append(record.getLoggerName()).append(" - ")
                    .append(formatMessage(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                var trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String level(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return "DEBUG";
        }
    }
}
