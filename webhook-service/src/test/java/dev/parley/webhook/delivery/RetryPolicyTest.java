package dev.parley.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        assertEquals(Duration.ofSeconds(120), RetryPolicy.parseRetryAfter("120", now));
        assertEquals(Duration.ofSeconds(30), RetryPolicy.parseRetryAfter("Mon, 23 Nov 2026 12:00:30 GMT", now));
        assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter("Mon, 23 Nov 2026 11:00:00 GMT", now));
        assertNull(RetryPolicy.parseRetryAfter("soon", now));
        assertNull(RetryPolicy.parseRetryAfter("-5", now));
        assertNull(RetryPolicy.parseRetryAfter(null, now));
    }
}
