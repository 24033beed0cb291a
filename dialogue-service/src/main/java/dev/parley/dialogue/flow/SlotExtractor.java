package dev.parley.dialogue.flow;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a slot's value in what the user wrote, by the slot's type. */
public final class SlotExtractor {

    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])-?\\d+(?:[.,]\\d+)?(?![\\w])");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern AMOUNT = Pattern.compile(
            "(?i)(?:(?<symbol>[£$€])\\s?(?<value1>\\d+(?:[.,]\\d{1,2})?)|(?<value2>\\d+(?:[.,]\\d{1,2})?)\\s?"
                    + "(?<code>gbp|usd|eur|pounds?|dollars?|euros?|quid)\\b|(?<code2>gbp|usd|eur)\\s?"
                    + "(?<value3>\\d+(?:[.,]\\d{1,2})?))");
    private static final Pattern ISO_DATE = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    private static final Pattern DAY_MONTH_YEAR = Pattern.compile("\\b(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})\\b");
    private static final Set<String> YES = Set.of("yes", "y", "yeah", "yep", "yup", "sure", "correct", "right",
            "ok", "okay", "confirm", "confirmed", "affirmative", "please do", "go ahead", "that's right", "exactly");
    private static final Set<String> NO = Set.of("no", "n", "nope", "nah", "not", "wrong", "incorrect", "cancel",
            "don't", "do not", "negative", "stop");

    private SlotExtractor() {
    }

    public static Optional<Object> extract(FlowModel.Slot slot, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String type = slot.type() == null ? "text" : slot.type();
        return switch (type) {
            case "text" -> Optional.of(text.strip());
            case "number" -> first(NUMBER.matcher(text)).map(n -> new BigDecimal(n.replace(',', '.')));
            case "email" -> first(EMAIL.matcher(text)).map(e -> e.toLowerCase(Locale.ROOT));
            case "amount" -> amount(text);
            case "date" -> date(text);
            case "yes_no" -> yesNo(text).map(Object.class::cast);
            case "regex" -> regex(slot.pattern(), text);
            case "list" -> list(slot.values(), text);
            default -> throw new IllegalArgumentException("unknown slot type " + type);
        };
    }

    /** True for a yes, false for a no, empty when the text is neither. */
    public static Optional<Boolean> yesNo(String text) {
        String normalized = normalize(text);
        boolean yes = containsPhrase(normalized, YES);
        boolean no = containsPhrase(normalized, NO);
        return yes == no ? Optional.empty() : Optional.of(yes);
    }

    private static boolean containsPhrase(String normalized, Set<String> phrases) {
        String padded = " " + normalized + " ";
        return phrases.stream().anyMatch(p -> padded.contains(" " + p + " "));
    }

    private static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]+", " ").replaceAll("\\s+", " ").strip();
    }

    private static Optional<String> first(Matcher matcher) {
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    private static Optional<Object> amount(String text) {
        Matcher m = AMOUNT.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        String value = m.group("value1") != null ? m.group("value1")
                : m.group("value2") != null ? m.group("value2") : m.group("value3");
        String unit = m.group("symbol") != null ? m.group("symbol")
                : m.group("code") != null ? m.group("code") : m.group("code2");
        String currency = switch (unit.toLowerCase(Locale.ROOT)) {
            case "£", "gbp", "pound", "pounds", "quid" -> "GBP";
            case "$", "usd", "dollar", "dollars" -> "USD";
            default -> "EUR";
        };
        var amount = new LinkedHashMap<String, Object>();
        amount.put("value", new BigDecimal(value.replace(',', '.')));
        amount.put("currency", currency);
        return Optional.of(amount);
    }

    private static Optional<Object> date(String text) {
        String normalized = normalize(text);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if ((" " + normalized + " ").contains(" today ")) {
            return Optional.of(today.toString());
        }
        if ((" " + normalized + " ").contains(" tomorrow ")) {
            return Optional.of(today.plusDays(1).toString());
        }
        if ((" " + normalized + " ").contains(" yesterday ")) {
            return Optional.of(today.minusDays(1).toString());
        }
        try {
            Matcher iso = ISO_DATE.matcher(text);
            if (iso.find()) {
                return Optional.of(LocalDate.parse(iso.group()).toString());
            }
            Matcher dmy = DAY_MONTH_YEAR.matcher(text);
            if (dmy.find()) {
                return Optional.of(LocalDate.of(Integer.parseInt(dmy.group(3)), Integer.parseInt(dmy.group(2)),
                        Integer.parseInt(dmy.group(1))).toString());
            }
        } catch (java.time.DateTimeException notADate) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Object> regex(String pattern, String text) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group());
    }

    private static Optional<Object> list(Map<String, List<String>> values, String text) {
        if (values == null) {
            return Optional.empty();
        }
        String padded = " " + normalize(text) + " ";
        for (var entry : values.entrySet()) {
            var names = new java.util.ArrayList<String>(entry.getValue() == null ? List.of() : entry.getValue());
            names.add(entry.getKey());
            for (String name : names) {
                if (padded.contains(" " + normalize(name) + " ")) {
                    return Optional.of(entry.getKey());
                }
            }
        }
        return Optional.empty();
    }
}
