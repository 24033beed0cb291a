package dev.parley.dialogue.flow;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{slots.name}}}, {@code {{user.attribute}}} and {@code {{result.field}}} in a response, with an
 * optional default after a bar: {@code {{user.firstName|there}}}. A missing value without a default renders empty.
 */
public final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z]+)\\.([\\w.-]+)\\s*(?:\\|([^}]*))?}}");

    private Templates() {
    }

    public static String render(String template, Map<String, Object> slots, Map<String, Object> user,
            Map<String, Object> result) {
        if (template == null || !template.contains("{{")) {
            return template;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        var out = new StringBuilder();
        while (m.find()) {
            Map<String, Object> scope = switch (m.group(1)) {
                case "slots" -> slots;
                case "user" -> user;
                case "result" -> result;
                default -> Map.of();
            };
            Object value = lookup(scope, m.group(2));
            String text = value == null ? (m.group(3) == null ? "" : m.group(3).strip()) : display(value);
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> scope, String path) {
        Object current = scope;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(part);
        }
        return current;
    }

    static String display(Object value) {
        if (value instanceof BigDecimal number) {
            return number.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Map<?, ?> amount && amount.containsKey("value") && amount.containsKey("currency")) {
            return display(amount.get("value")) + " " + amount.get("currency");
        }
        return String.valueOf(value);
    }
}
