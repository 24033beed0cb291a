package dev.parley.dialogue.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.parley.common.events.MessageDelta;

/** Coalescing of token pieces into deltas: the first at once, then by time or size, the rest with the final one. */
class TokenStreamDeltasTest {

    static final TokenStreamPublisher.Target TARGET = new TokenStreamPublisher.Target("t", "bot", "c", "m", "u");
    static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(50);

    long now;
    final List<MessageDelta> sent = new ArrayList<>();

    TokenStreamPublisher.Deltas deltas(int maxChars) {
        return new TokenStreamPublisher.Deltas(TARGET, INTERVAL, maxChars, () -> now, sent::add);
    }

    @Test
    void coalescesPiecesByTimeAndSize() {
        var deltas = deltas(10);
        deltas.accept("Hello");          // first piece: at once
        now += INTERVAL / 5;
        deltas.accept(" wor");           // too soon and too short: waits
        deltas.accept("ld, ");           // 8 characters waiting: still waits
        now += INTERVAL / 5;
        deltas.accept("how ");           // 12 waiting: sent
        deltas.accept("are");
        now += INTERVAL;
        deltas.accept(" you");           // interval passed: sent
        deltas.accept("?");
        deltas.finish();
        deltas.accept("ignored");
        deltas.finish();

        assertEquals(List.of("Hello", " world, how ", "are you", "?"), sent.stream().map(MessageDelta::delta).toList());
        assertEquals(List.of(0, 1, 2, 3), sent.stream().map(MessageDelta::index).toList());
        assertTrue(sent.get(3).last());
        assertFalse(sent.get(2).last());
        assertTrue(sent.stream().allMatch(d -> d.messageId().equals("m") && d.conversationId().equals("c")));
    }

    @Test
    void aGenerationWithoutTextStillEndsWithAFinalDelta() {
        var deltas = deltas(64);
        deltas.finish();
        assertEquals(1, sent.size());
        assertEquals("", sent.get(0).delta());
        assertTrue(sent.get(0).last());
    }
}
