package dev.parley.dialogue.nlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityExtractorTest {

    /** A Wednesday. */
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    final EntityExtractor builtIns = EntityExtractor.builtInsOnly();

    private static String describe(List<Entity> entities) {
        return String.join("; ", entities.stream()
                .map(e -> e.entity() + "=" + e.value() + (e.unit() == null ? "" : " " + e.unit())).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            I paid £20 at the shop                          | amount-of-money=20 GBP
            send $1,250.50 to my sister                     | amount-of-money=1250.5 USD
            it charged me 35 euros twice                    | amount-of-money=35 EUR
            a fee of 50p                                    | amount-of-money=0.5 GBP
            transfer 2k GBP please                          | amount-of-money=2000 GBP
            my email is Alice.Smith+bank@Example.co.uk      | email=alice.smith+bank@example.co.uk
            I ordered 3 cards                               | number=3
            I need two new cards                            | number=2
            the payment on 2026-03-14 failed                | date=2026-03-14
            the payment on 14/03/2026 failed                | date=2026-03-14
            it happened on the 3rd of March 2025            | date=2025-03-03
            it happened on March 3rd                        | date=2026-03-03
            the transfer I made yesterday                   | date=2026-11-24
            can I get it by tomorrow                        | date=2026-11-26
            it was declined last monday                     | date=2026-11-23
            book it for next friday                         | date=2026-11-27
            """)
    void findsBuiltIns(String text, String expected) {
        assertEquals(expected, describe(builtIns.extract(text, TODAY)));
    }

    @Test
    void aSpanIsOneEntityAndOffsetsPointAtTheText() {
        String text = "Refund £12.99 from 01/02/2026 to bob@example.com, order 7";
        var entities = builtIns.extract(text, TODAY);
        assertEquals("amount-of-money=12.99 GBP; date=2026-02-01; email=bob@example.com; number=7",
                describe(entities));
        for (Entity e : entities) {
            assertEquals(e.text(), text.substring(e.start(), e.end()));
        }
    }

    @Test
    void plainTextHasNoEntities() {
        assertTrue(builtIns.extract("my card has not arrived", TODAY).isEmpty());
        assertTrue(builtIns.extract("31/02/2026 is not a day", TODAY).stream()
                .noneMatch(e -> e.entity().equals(EntityExtractor.DATE)));
    }

    @Test
    void findsTheBotsListAndPatternEntitiesBeforeBuiltIns() {
        var extractor = new EntityExtractor(
                List.of(new EntityExtractor.ListEntity("card_type", Map.of(
                        "virtual", List.of("virtual card", "online card"),
                        "physical", List.of("plastic card", "physical card")))),
                List.of(new EntityExtractor.PatternEntity("order_id", Pattern.compile("ORD-(\\d{6})"))));
        var entities = extractor.extract("my Online Card for order ORD-123456 cost £5", TODAY);
        assertEquals("card_type=virtual; order_id=123456; amount-of-money=5 GBP", describe(entities));
        assertEquals("Online Card", entities.get(0).text());
    }
}
