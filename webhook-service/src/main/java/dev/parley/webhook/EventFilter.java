package dev.parley.webhook;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Event-type filters of a subscription: an exact type ({@code message.sent}), a prefix wildcard ({@code message.*}
 * matches {@code message.sent} and {@code message.received}, not {@code message} itself) or {@code *} for every event.
 */
public final class EventFilter {

    public static final Pattern VALID = Pattern.compile("\\*|[a-z0-9_-]+(\\.[a-z0-9_-]+)*(\\.\\*)?");

    private EventFilter() {
    }

    public static boolean matches(List<String> filters, String type) {
        for (String filter : filters) {
            if (matches(filter, type)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(String filter, String type) {
        if (filter.equals("*")) {
            return true;
        }
        if (filter.endsWith(".*")) {
            String prefix = filter.substring(0, filter.length() - 1);
            return type.length() > prefix.length() && type.startsWith(prefix);
        }
        return filter.equals(type);
    }
}
