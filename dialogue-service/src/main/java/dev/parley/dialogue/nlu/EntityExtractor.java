package dev.parley.dialogue.nlu;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds entities in a user message: the built-ins (e-mail address, amount of money, date, number) and the bot's
 * own list entities (canonical values with synonyms) and pattern entities (a regular expression). Rule-based and
 * fast (microseconds). Spans never overlap: an earlier kind wins, in the order e-mail, the bot's pattern and list
 * entities, amount of money, date, number; so "£20" is one amount, not an amount and a number.
 */
public final class EntityExtractor {

    public static final String NUMBER = "number";
    public static final String EMAIL = "email";
    public static final String MONEY = "amount-of-money";
    public static final String DATE = "date";

    /** A bot's list entity: canonical value to its synonyms (the value itself always matches). */
    public record ListEntity(String name, Map<String, List<String>> values) {
    }

    /** A bot's pattern entity: the whole match (or group 1 when present) is the value. */
    public record PatternEntity(String name, Pattern pattern) {
    }

    private static final Pattern EMAIL_PATTERN = Pattern
            .compile("(?<![\\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final String AMOUNT = "(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d{1,2}))?";
    private static final Pattern MONEY_SYMBOL = Pattern
            .compile("(?i)(£|\\$|€|¥|gbp|usd|eur|jpy|chf)\\s?" + AMOUNT + "(k\\b)?");
    private static final Pattern MONEY_WORD = Pattern.compile("(?i)\\b" + AMOUNT
            + "\\s?(k\\s?)?(pounds?|quid|gbp|dollars?|bucks|usd|euros?|eur|yen|jpy|francs?|chf|pence|p\\b|cents?)");
    private static final Pattern ISO_DATE = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    private static final Pattern SLASH_DATE = Pattern.compile("\\b(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4}|\\d{2})\\b");
    private static final String MONTHS = "(january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)";
    private static final Pattern DAY_MONTH = Pattern.compile("(?i)\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? " + MONTHS
            + "\\b(?:,? (\\d{4}))?");
    private static final Pattern MONTH_DAY = Pattern.compile("(?i)\\b" + MONTHS
            + " (\\d{1,2})(?:st|nd|rd|th)?\\b(?:,? (\\d{4}))?");
    private static final Pattern RELATIVE_DATE = Pattern.compile(
            "(?i)\\b(today|tomorrow|yesterday|(?:(next|last|this|on) )?(monday|tuesday|wednesday|thursday|friday"
                    + "|saturday|sunday))\\b");
    private static final Pattern NUMBER_PATTERN = Pattern.compile("(?<![\\w.])-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)"
            + "(?:\\.\\d+)?(?![\\w])");
    private static final Map<String, Integer> NUMBER_WORDS = numberWords();
    private static final Pattern NUMBER_WORD = Pattern.compile("(?i)\\b(" + String.join("|", NUMBER_WORDS.keySet())
            + ")\\b");

    private final List<ListEntity> lists;
    private final List<PatternEntity> patterns;
    private final List<Pattern> listMatchers = new ArrayList<>();
    private final List<Map<String, String>> synonymToValue = new ArrayList<>();

    public EntityExtractor(List<ListEntity> lists, List<PatternEntity> patterns) {
        this.lists = List.copyOf(lists);
        this.patterns = List.copyOf(patterns);
        for (ListEntity list : this.lists) {
            var index = new LinkedHashMap<String, String>();
            list.values().forEach((value, synonyms) -> {
                index.put(value.toLowerCase(Locale.ROOT), value);
                synonyms.forEach(s -> index.putIfAbsent(s.toLowerCase(Locale.ROOT), value));
            });
            // Longest synonym first, so "credit card" wins over "card".
            var alternatives = index.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote).toList();
            listMatchers.add(Pattern.compile("(?iu)(?<![\\w])(" + String.join("|", alternatives) + ")(?![\\w])"));
            synonymToValue.add(index);
        }
    }

    /**
     * The extractor for a bot's declared entities plus the built-ins. A pattern that does not compile is left out
     * with a warning rather than breaking the bot's turns.
     */
    public static EntityExtractor forBot(dev.parley.dialogue.BotDefinition definition) {
        var lists = new ArrayList<ListEntity>();
        var patterns = new ArrayList<PatternEntity>();
        definition.entities().forEach((name, entity) -> {
            if (entity.pattern() != null && !entity.pattern().isBlank()) {
                try {
                    patterns.add(new PatternEntity(name, Pattern.compile(entity.pattern())));
                } catch (java.util.regex.PatternSyntaxException e) {
                    org.jboss.logging.Logger.getLogger(EntityExtractor.class).warnf(
                            "Bot %s: entity %s has an invalid pattern (%s); it is ignored", definition.id(), name,
                            e.getDescription());
                }
            }
            if (!entity.values().isEmpty()) {
                lists.add(new ListEntity(name, entity.values()));
            }
        });
        return new EntityExtractor(lists, patterns);
    }

    public static EntityExtractor builtInsOnly() {
        return new EntityExtractor(List.of(), List.of());
    }

    /** The entities of a text, in the order they appear; relative dates are resolved against {@code today}. */
    public List<Entity> extract(String text, LocalDate today) {
        var found = new ArrayList<Entity>();
        find(EMAIL_PATTERN, text, found, m -> entity(EMAIL, m.group().toLowerCase(Locale.ROOT), null, m));
        for (PatternEntity pattern : patterns) {
            find(pattern.pattern(), text, found, m -> entity(pattern.name(),
                    m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group(), null, m));
        }
        for (int i = 0; i < lists.size(); i++) {
            var index = synonymToValue.get(i);
            String name = lists.get(i).name();
            find(listMatchers.get(i), text, found,
                    m -> entity(name, index.get(m.group(1).toLowerCase(Locale.ROOT)), null, m));
        }
        find(MONEY_SYMBOL, text, found, m -> entity(MONEY, amount(m.group(2), m.group(3), m.group(4) != null, false),
                currency(m.group(1)), m));
        find(MONEY_WORD, text, found, m -> {
            String unit = m.group(4).toLowerCase(Locale.ROOT);
            boolean minor = unit.startsWith("pence") || unit.equals("p") || unit.startsWith("cent");
            return entity(MONEY, amount(m.group(1), m.group(2), m.group(3) != null, minor), currency(unit), m);
        });
        find(ISO_DATE, text, found, m -> date(m, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
        find(SLASH_DATE, text, found, m -> {
            int year = Integer.parseInt(m.group(3));
            return date(m, year < 100 ? 2000 + year : year, Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(1)));
        });
        find(DAY_MONTH, text, found, m -> date(m, year(m.group(3), today), month(m.group(2)),
                Integer.parseInt(m.group(1))));
        find(MONTH_DAY, text, found, m -> date(m, year(m.group(3), today), month(m.group(1)),
                Integer.parseInt(m.group(2))));
        find(RELATIVE_DATE, text, found, m -> entity(DATE, relative(m, today).toString(), null, m));
        find(NUMBER_PATTERN, text, found, m -> entity(NUMBER, new BigDecimal(m.group().replace(",", ""))
                .stripTrailingZeros().toPlainString(), null, m));
        find(NUMBER_WORD, text, found,
                m -> entity(NUMBER, String.valueOf(NUMBER_WORDS.get(m.group(1).toLowerCase(Locale.ROOT))), null, m));
        found.sort(Comparator.comparingInt(Entity::start));
        return found;
    }

    private static void find(Pattern pattern, String text, List<Entity> found,
            java.util.function.Function<Matcher, Entity> make) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (m.end() == m.start() || overlaps(found, m.start(), m.end())) {
                continue;
            }
            Entity entity = make.apply(m);
            if (entity != null) {
                found.add(entity);
            }
        }
    }

    private static boolean overlaps(List<Entity> found, int start, int end) {
        for (Entity e : found) {
            if (start < e.end() && e.start() < end) {
                return true;
            }
        }
        return false;
    }

    private static Entity entity(String type, String value, String unit, Matcher m) {
        return value == null ? null : new Entity(type, value, unit, m.group(), m.start(), m.end());
    }

    private static String amount(String whole, String fraction, boolean thousands, boolean minor) {
        var value = new BigDecimal(whole.replace(",", "") + (fraction == null ? "" : "." + fraction));
        if (thousands) {
            value = value.multiply(BigDecimal.valueOf(1000));
        }
        if (minor) {
            value = value.movePointLeft(2);
        }
        return value.stripTrailingZeros().toPlainString();
    }

    private static String currency(String symbol) {
        String s = symbol.toLowerCase(Locale.ROOT);
        if (s.equals("£") || s.startsWith("pound") || s.equals("quid") || s.equals("gbp") || s.startsWith("pence")
                || s.equals("p")) {
            return "GBP";
        }
        if (s.equals("$") || s.startsWith("dollar") || s.equals("bucks") || s.equals("usd") || s.startsWith("cent")) {
            return "USD";
        }
        if (s.equals("€") || s.startsWith("euro") || s.equals("eur")) {
            return "EUR";
        }
        if (s.equals("¥") || s.equals("yen") || s.equals("jpy")) {
            return "JPY";
        }
        return "CHF";
    }

    private static Entity date(Matcher m, int year, int month, int day) {
        try {
            return entity(DATE, LocalDate.of(year, month, day).toString(), null, m);
        } catch (java.time.DateTimeException notADate) {
            return null;
        }
    }

    private static int year(String written, LocalDate today) {
        return written == null ? today.getYear() : Integer.parseInt(written);
    }

    private static int month(String name) {
        String prefix = name.toLowerCase(Locale.ROOT).substring(0, 3);
        for (Month month : Month.values()) {
            if (month.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return month.getValue();
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** "next monday" and "on monday" mean the coming one, "last monday" the past one, "this monday" this week's. */
    private static LocalDate relative(Matcher m, LocalDate today) {
        String word = m.group(1).toLowerCase(Locale.ROOT);
        if (word.equals("today")) {
            return today;
        }
        if (word.equals("tomorrow")) {
            return today.plusDays(1);
        }
        if (word.equals("yesterday")) {
            return today.minusDays(1);
        }
        var day = DayOfWeek.valueOf(m.group(3).toUpperCase(Locale.ROOT));
        String modifier = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (modifier) {
        case "last" -> today.with(TemporalAdjusters.previous(day));
        case "this" -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).with(
                TemporalAdjusters.nextOrSame(day));
        default -> today.with(TemporalAdjusters.next(day));
        };
    }

    private static Map<String, Integer> numberWords() {
        var words = new LinkedHashMap<String, Integer>();
        String[] small = { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                "twenty" };
        for (int i = 0; i < small.length; i++) {
            words.put(small[i], i);
        }
        String[] tens = { "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety" };
        for (int i = 0; i < tens.length; i++) {
            words.put(tens[i], 30 + 10 * i);
        }
        words.put("hundred", 100);
        words.put("thousand", 1000);
        words.put("dozen", 12);
        return words;
    }
}
