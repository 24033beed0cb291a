package dev.parley.dialogue.llm.providers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body as the WHATWG specification defines it: lines of {@code field: value},
 * an event ends at a blank line, several {@code data} lines join with a newline, comments start with a colon.
 */
final class ServerSentEvents {

    record Event(String name, String data) {
    }

    @FunctionalInterface
    interface Listener {
        /** Returns false to stop reading (for example after OpenAI's {@code [DONE]}). */
        boolean onEvent(Event event) throws IOException;
    }

    private ServerSentEvents() {
    }

    static void read(InputStream body, Listener listener) throws IOException {
        try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null && !listener.onEvent(new Event(name == null ? "message" : name, data.toString()))) {
                        return;
                    }
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if ("event".equals(field)) {
                    name = value;
                } else if ("data".equals(field)) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
            if (data != null) {
                listener.onEvent(new Event(name == null ? "message" : name, data.toString()));
            }
        }
    }
}
