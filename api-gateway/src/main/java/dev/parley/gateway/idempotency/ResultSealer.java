package dev.parley.gateway.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.gateway.config.GatewayConfig;

/**
 * Encrypts kept responses (AES-256-GCM) under a key derived from the server's pepper, the tenant and the
 * idempotency key. A response may carry a secret (the API key that a POST /v1/api-keys created), and a copy of the
 * database alone must not reveal it.
 */
@ApplicationScoped
public class ResultSealer {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    @Inject
    GatewayConfig config;

    private final SecureRandom random = new SecureRandom();

    public byte[] seal(String tenantId, String idempotencyKey, byte[] plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(tenantId, idempotencyKey), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt a kept response", e);
        }
    }

    public byte[] open(String tenantId, String idempotencyKey, byte[] sealed) {
        if (sealed == null || sealed.length == 0) {
            return new byte[0];
        }
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(tenantId, idempotencyKey),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not decrypt a kept response (was the pepper changed?)", e);
        }
    }

    private SecretKeySpec key(String tenantId, String idempotencyKey) throws GeneralSecurityException {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(config.gateway().keyPepper().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] derived = mac.doFinal(("idempotency\u0000" + tenantId + '\u0000' + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8));
        return new SecretKeySpec(derived, "AES");
    }
}
