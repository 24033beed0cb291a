package dev.parley.webhook.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/** Request and response bodies of the internal webhook API (the gateway's {@code /v1/webhooks} mirrors them). */
public final class Api {

    private Api() {
    }

    public record CreateSubscription(
            @NotBlank @Size(max = 2048) String url,
            @NotNull @Size(min = 1, max = 50) List<@NotBlank @Size(max = 128) String> events,
            @Size(max = 500) String description,
            @Min(1) @Max(10_000) Integer rateLimitPerSecond,
            @Size(max = 32) String ordering) {
    }

    /** Absent (null) fields stay as they are. */
    public record UpdateSubscription(
            @Size(max = 2048) String url,
            @Size(min = 1, max = 50) List<@NotBlank @Size(max = 128) String> events,
            @Size(max = 500) String description,
            @Min(0) @Max(10_000) Integer rateLimitPerSecond,
            @Size(max = 32) String ordering) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionView(String id, String url, List<String> events, String description, boolean enabled,
            String disabledReason, Instant disabledAt, Integer rateLimitPerSecond, Instant previousSecretExpiresAt,
            Instant createdAt, Instant updatedAt, String ordering) {
    }

    /** The only answer that ever shows the signing secret, with the one at rotation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionCreated(String id, String url, List<String> events, String description, boolean enabled,
            Integer rateLimitPerSecond, Instant createdAt, String secret, String ordering) {
    }

    public record SubscriptionList(List<SubscriptionView> items) {
    }

    public record RotateSecret(@Min(0) @Max(604_800) Integer gracePeriodSeconds) {
    }

    public record SecretRotated(String secret, Instant previousSecretExpiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestResult(String deliveryId, String webhookId, String status, Integer statusCode, Integer durationMs,
            String error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(String id, String subscriptionId, String eventId, String eventType, String webhookId,
            String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatusCode,
            String lastError, Instant createdAt, Instant completedAt) {
    }

    public record DeliveryPage(List<DeliveryView> items, String nextCursor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(Instant attemptedAt, Integer statusCode, int durationMs, String responseBody,
            String error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryDetail(DeliveryView delivery,
            @JsonRawValue String payload,
            boolean payloadPurged,
            List<AttemptView> attempts) {
    }

    public record Recover(@NotNull Instant since) {
    }

    public record Recovered(int recovered) {
    }

    public record Replayed(String id, String status) {
    }
}
