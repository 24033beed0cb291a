package dev.parley.dialogue.llm.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    static String randomKey(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return Base64.getEncoder().encodeToString(key);
    }

    final CredentialCipher cipher = new CredentialCipher(randomKey(7));

    @Test
    void roundTripsAndNeverStoresTheKeyInClear() {
        byte[] sealed = cipher.encrypt("acme", "openai", "sk-secret-value");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("sk-secret"));
        assertEquals("sk-secret-value", cipher.decrypt("acme", "openai", sealed));
    }

    @Test
    void eachEncryptionUsesAFreshNonce() {
        assertFalse(Arrays.equals(cipher.encrypt("acme", "openai", "same"), cipher.encrypt("acme", "openai", "same")));
    }

    @Test
    void aCiphertextMovedToAnotherTenantOrNameDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("acme", "openai", "sk-secret-value");
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt("globex", "openai", sealed));
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt("acme", "anthropic", sealed));
    }

    @Test
    void anotherKeyOrATamperedCiphertextDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("acme", "openai", "sk-secret-value");
        assertThrows(IllegalArgumentException.class,
                () -> new CredentialCipher(randomKey(8)).decrypt("acme", "openai", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt("acme", "openai", sealed));
    }

    @Test
    void refusesAKeyThatIsNot256Bits() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CredentialCipher(Base64.getEncoder().encodeToString(new byte[16])));
        assertEquals("parley.dialogue.credentials-key must be 32 bytes (base64 of 32 random bytes), got 16",
                e.getMessage());
    }
}
