package dev.parley.gateway.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Bodies of /v1/api-keys and /v1/client-tokens. */
public final class KeyApi {

    private KeyApi() {
    }

    public record CreateKey(
            @Schema(description = "What the key is for", examples = "crm-backend") @NotBlank @Size(max = 100) String name,
            @Schema(description = "Scopes granted: conversations:write, conversations:read, users:manage, bots:manage, knowledge:manage, webhooks:manage, admin") @NotEmpty @Size(max = 10) List<@NotBlank @Size(max = 40) String> scopes,
            @Schema(description = "When the key stops working; never when omitted") Instant expiresAt) {
    }

    public record RotateKey(
            @Schema(description = "Seconds the old key keeps working; the configured default (24 h) when omitted") @Min(0) @Max(30 * 24 * 3600) Long gracePeriodSeconds) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String id, String name,
            @Schema(description = "The first characters of the key, to recognise it") String prefix,
            List<String> scopes,
            @Schema(description = "active, expired or revoked") String status,
            Instant createdAt, Instant expiresAt, Instant revokedAt,
            @Schema(description = "Approximate: written in batches") Instant lastUsedAt,
            @Schema(description = "The key this one replaced by rotation") String replaces) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyCreated(
            @Schema(description = "The secret key. Shown only in this response: store it now") String key,
            KeyView apiKey,
            @Schema(description = "After a rotation: when the old key stops working") Instant previousKeyExpiresAt) {
    }

    public record KeyList(List<KeyView> items) {
    }

    public record CreateClientToken(
            @Schema(description = "The conversation the token may use") @NotBlank @Size(max = 64) String conversationId,
            @Schema(description = "The end user the token acts for; the conversation's user when omitted") @Size(max = 128) @Pattern(regexp = Api.ID_PATTERN, message = "may contain only letters, digits and . _ : @ -") String userId) {
    }

    public record ClientToken(
            @Schema(description = "Send as 'Authorization: Bearer <token>' from the browser or app") String token,
            String tokenType, Instant expiresAt, String conversationId, String userId) {
    }
}
