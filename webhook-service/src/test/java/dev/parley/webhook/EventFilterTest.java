package dev.parley.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class EventFilterTest {

    @Test
    void exactWildcardAndEverything() {
        assertTrue(EventFilter.matches(List.of("message.sent"), "message.sent"));
        assertFalse(EventFilter.matches(List.of("message.sent"), "message.received"));
        assertTrue(EventFilter.matches(List.of("message.*"), "message.received"));
        assertTrue(EventFilter.matches(List.of("message.*"), "message.sent"));
        assertFalse(EventFilter.matches(List.of("message.*"), "message"));
        assertFalse(EventFilter.matches(List.of("message.*"), "messages.sent"));
        assertTrue(EventFilter.matches(List.of("conversation.started", "*"), "lead.qualified"));
        assertFalse(EventFilter.matches(List.of("conversation.*"), "message.sent"));
    }
}
