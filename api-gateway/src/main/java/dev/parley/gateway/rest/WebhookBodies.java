package dev.parley.gateway.rest;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Request bodies of {@code /v1/webhooks}; webhook-service checks them again (URL policy, event filters). */
public final class WebhookBodies {

    static final String ORDERING = "conversation: the deliveries of one conversation are sent one after the other in event order, "
            + "each waiting until the one before it succeeded or finally failed (other conversations are not held); none: no order";
    static final String ORDERING_VALUES = "none|conversation";
    static final String ORDERING_MESSAGE = "must be none or conversation";

    private WebhookBodies() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Create(
            @Schema(description = "Where events are POSTed; must resolve to a public address", examples = "https://crm.example.com/parley/webhooks") @NotBlank @Size(max = 2048) String url,
            @Schema(description = "Event types to receive: exact (message.sent), prefix wildcard (message.*) or * for all") @NotNull @Size(min = 1, max = 50) List<@NotBlank @Size(max = 128) String> events,
            @Size(max = 500) String description,
            @Schema(description = "At most this many deliveries per second to this endpoint (per webhook-service replica)") @Min(1) @Max(10_000) Integer rateLimitPerSecond,
            @Schema(description = ORDERING, enumeration = { "none", "conversation" }, defaultValue = "none") @Pattern(regexp = ORDERING_VALUES, message = ORDERING_MESSAGE) String ordering) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Update(@Size(max = 2048) String url,
            @Size(min = 1, max = 50) List<@NotBlank @Size(max = 128) String> events,
            @Size(max = 500) String description,
            @Schema(description = "0 removes the limit") @Min(0) @Max(10_000) Integer rateLimitPerSecond,
            @Schema(description = ORDERING, enumeration = { "none", "conversation" }) @Pattern(regexp = ORDERING_VALUES, message = ORDERING_MESSAGE) String ordering) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RotateSecret(
            @Schema(description = "How long the previous secret keeps signing too (default 86400, at most 7 days)") @Min(0) @Max(604_800) Integer gracePeriodSeconds) {
    }

    public record Recover(@Schema(description = "Every failed delivery created since this instant is sent again", examples = "2026-01-31T12:00:00Z") @NotNull java.time.Instant since) {
    }
}
