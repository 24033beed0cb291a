package dev.parley.webhook.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signatures: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with
 * the base64-decoded part of the {@code whsec_} secret. Several secrets (during a rotation) give several
 * space-separated signatures.
 */
public final class Signatures {

    private Signatures() {
    }

    public static String header(List<String> secrets, String webhookId, long timestampSeconds, String body) {
        var header = new StringBuilder();
        byte[] content = (webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(sign(secret, content));
        }
        return header.toString();
    }

    static String sign(String secret, byte[] content) {
        String encoded = secret.startsWith(SecretBox.PREFIX) ? secret.substring(SecretBox.PREFIX.length()) : secret;
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
