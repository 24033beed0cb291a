package dev.parley.webhook.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.webhook.config.WebhookConfig;

/** When the next attempt of a failed delivery is due, if any. */
@ApplicationScoped
public class RetryPolicy {

    @Inject
    WebhookConfig config;

    /**
     * @param attemptsMade attempts made so far, this one included
     * @param retryAfter   what the receiver asked for (429/503 {@code Retry-After}), or null
     * @return the time of the next attempt, or null when the schedule is exhausted
     */
    public Instant next(int attemptsMade, Instant now, Duration retryAfter) {
        List<Duration> schedule = config.retry().schedule();
        if (attemptsMade >= schedule.size()) {
            return null;
        }
        double jitter = config.retry().jitter();
        if (retryAfter != null) {
            Duration wanted = retryAfter.compareTo(config.retry().maxRetryAfter()) > 0 ? config.retry().maxRetryAfter()
                    : retryAfter;
            // Never earlier than asked: the jitter only adds.
            return now.plusMillis((long) (wanted.toMillis() * (1 + ThreadLocalRandom.current().nextDouble() * jitter)));
        }
        long base = schedule.get(attemptsMade).toMillis();
        double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
        return now.plusMillis(Math.max(0, (long) (base * factor)));
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
