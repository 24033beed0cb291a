package dev.parley.dialogue.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SlotExtractorTest {

    static FlowModel.Slot slot(String type) {
        return new FlowModel.Slot(type, null, null, null, null, null);
    }

    @Test
    void numbersEmailsAndAmounts() {
        assertEquals(Optional.of(new BigDecimal("3")), SlotExtractor.extract(slot("number"), "3 of them"));
        assertEquals(Optional.of(new BigDecimal("2.5")), SlotExtractor.extract(slot("number"), "about 2,5 kg"));
        assertEquals(Optional.empty(), SlotExtractor.extract(slot("number"), "none at all"));
        assertEquals(Optional.of("ada@example.com"), SlotExtractor.extract(slot("email"), "mail Ada@Example.com pls"));
        assertEquals(Optional.of(Map.of("value", new BigDecimal("20.50"), "currency", "GBP")),
                SlotExtractor.extract(slot("amount"), "send £20.50 to Sam"));
        assertEquals(Optional.of(Map.of("value", new BigDecimal("15"), "currency", "EUR")),
                SlotExtractor.extract(slot("amount"), "15 euros"));
        assertEquals(Optional.of(Map.of("value", new BigDecimal("99"), "currency", "USD")),
                SlotExtractor.extract(slot("amount"), "USD 99"));
    }

    @Test
    void datesRegexListsAndYesNo() {
        var today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(Optional.of(today.plusDays(1).toString()), SlotExtractor.extract(slot("date"), "tomorrow please"));
        assertEquals(Optional.of("2026-03-04"), SlotExtractor.extract(slot("date"), "on 4/3/2026"));
        assertEquals(Optional.of("2026-12-01"), SlotExtractor.extract(slot("date"), "2026-12-01"));
        assertEquals(Optional.empty(), SlotExtractor.extract(slot("date"), "31/02/2026"));
        var code = new FlowModel.Slot("regex", "\\b([A-Z]{2}\\d{6})\\b", null, null, null, null);
        assertEquals(Optional.of("AB123456"), SlotExtractor.extract(code, "order AB123456 please"));
        assertEquals(Optional.empty(), SlotExtractor.extract(code, "order ab123456"));
        var plan = new FlowModel.Slot("list", null, Map.of("pro", List.of("premium", "professional")), null, null,
                null);
        assertEquals(Optional.of("pro"), SlotExtractor.extract(plan, "the Premium one"));
        assertEquals(Optional.empty(), SlotExtractor.extract(plan, "premiums"));
        assertEquals(Optional.of(true), SlotExtractor.yesNo("Yes, go ahead"));
        assertEquals(Optional.of(false), SlotExtractor.yesNo("nope"));
        assertEquals(Optional.empty(), SlotExtractor.yesNo("maybe"));
        assertEquals(Optional.empty(), SlotExtractor.yesNo("yes and no"));
    }
}
