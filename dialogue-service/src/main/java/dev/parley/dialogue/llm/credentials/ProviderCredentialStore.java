package dev.parley.dialogue.llm.credentials;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;

/**
 * Provider keys per tenant, stored AES-GCM encrypted with {@code parley.dialogue.credentials-key} and decrypted
 * only when a call needs them. Keys are never logged and never returned by the API.
 */
@ApplicationScoped
public class ProviderCredentialStore {

    private static final Logger LOG = Logger.getLogger(ProviderCredentialStore.class);

    private final DataSource dataSource;
    private final CredentialCipher cipher;

    @Inject
    public ProviderCredentialStore(DataSource dataSource, CredentialsConfig config) {
        this.dataSource = dataSource;
        this.cipher = config.credentialsKey().filter(key -> !key.isBlank()).map(CredentialCipher::new).orElse(null);
        if (cipher == null) {
            LOG.warn("parley.dialogue.credentials-key is not set: provider keys can be neither stored nor used, "
                    + "so bots answer with the local engine only");
        }
    }

    public void put(String tenantId, String name, String provider, String apiKey) {
        byte[] ciphertext = cipher().encrypt(tenantId, name, apiKey);
        Timestamp now = Timestamp.from(Instant.now());
        try (var connection = dataSource.getConnection(); var upsert = connection.prepareStatement("""
                INSERT INTO provider_credentials (tenant_id, name, provider, key_ciphertext, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE
                SET provider = EXCLUDED.provider, key_ciphertext = EXCLUDED.key_ciphertext,
                    updated_at = EXCLUDED.updated_at""")) {
            upsert.setString(1, tenantId);
            upsert.setString(2, name);
            upsert.setString(3, provider);
            upsert.setBytes(4, ciphertext);
            upsert.setTimestamp(5, now);
            upsert.setTimestamp(6, now);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new ProblemException(ProblemCode.UNAVAILABLE, "The credential store is unavailable");
        }
    }

    /** True when there was a key to delete. */
    public boolean delete(String tenantId, String name) {
        try (var connection = dataSource.getConnection(); var delete = connection.prepareStatement(
                "DELETE FROM provider_credentials WHERE tenant_id = ? AND name = ?")) {
            delete.setString(1, tenantId);
            delete.setString(2, name);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new ProblemException(ProblemCode.UNAVAILABLE, "The credential store is unavailable");
        }
    }

    public List<ProviderCredential> list(String tenantId) {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement("""
                SELECT name, provider, created_at, updated_at FROM provider_credentials
                WHERE tenant_id = ? ORDER BY name""")) {
            select.setString(1, tenantId);
            var found = new ArrayList<ProviderCredential>();
            try (var rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new ProviderCredential(rows.getString(1), rows.getString(2),
                            rows.getTimestamp(3).toInstant(), rows.getTimestamp(4).toInstant()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new ProblemException(ProblemCode.UNAVAILABLE, "The credential store is unavailable");
        }
    }

    /**
     * The decrypted key, when the tenant stored one under this name and it decrypts with the configured key;
     * empty otherwise (the route then skips the endpoint and falls back).
     */
    public Optional<String> apiKey(String tenantId, String name) {
        if (cipher == null) {
            return Optional.empty();
        }
        byte[] ciphertext;
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(
                "SELECT key_ciphertext FROM provider_credentials WHERE tenant_id = ? AND name = ?")) {
            select.setString(1, tenantId);
            select.setString(2, name);
            try (var rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                ciphertext = rows.getBytes(1);
            }
        } catch (SQLException e) {
            LOG.warnf("Tenant %s: provider credential %s could not be read: %s", tenantId, name, e.getSQLState());
            return Optional.empty();
        }
        try {
            return Optional.of(cipher.decrypt(tenantId, name, ciphertext));
        } catch (IllegalArgumentException e) {
            LOG.errorf("Tenant %s: provider credential %s does not decrypt (was parley.dialogue.credentials-key "
                    + "changed?); store it again", tenantId, name);
            return Optional.empty();
        }
    }

    private CredentialCipher cipher() {
        if (cipher == null) {
            throw new ProblemException(ProblemCode.UNAVAILABLE,
                    "Provider keys cannot be stored: parley.dialogue.credentials-key is not configured");
        }
        return cipher;
    }
}
