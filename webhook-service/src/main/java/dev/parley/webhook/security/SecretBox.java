package dev.parley.webhook.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.webhook.config.WebhookConfig;

/**
 * Makes signing secrets and keeps them encrypted at rest (AES-256-GCM, a fresh nonce per secret). Decrypted secrets
 * are cached by ciphertext: every delivery needs its endpoint's secret.
 */
@ApplicationScoped
public class SecretBox {

    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final int NONCE_BYTES = 12;

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, String> plaintexts = new ConcurrentHashMap<>();
    private SecretKeySpec key;

    @Inject
    WebhookConfig config;

    @PostConstruct
    void init() {
        byte[] raw = Base64.getDecoder().decode(config.encryptionKey());
        if (raw.length != 32) {
            throw new IllegalStateException("parley.webhook.encryption-key must be the base64 of 32 bytes");
        }
        key = new SecretKeySpec(raw, "AES");
    }

    /** A new Standard Webhooks secret: {@code whsec_} and the base64 of 32 random bytes. */
    public String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    public String encrypt(String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt a secret", e);
        }
    }

    public String decrypt(String ciphertext) {
        return plaintexts.computeIfAbsent(ciphertext, this::open);
    }

    private String open(String ciphertext) {
        try {
            byte[] all = Base64.getDecoder().decode(ciphertext);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not decrypt a signing secret (was parley.webhook.encryption-key changed?)", e);
        }
    }
}
