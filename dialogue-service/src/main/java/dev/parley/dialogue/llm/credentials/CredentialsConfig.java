package dev.parley.dialogue.llm.credentials;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The key that encrypts provider keys at rest. A mapping of its own under the dialogue prefix, so that the setting
 * is known to the configuration (unknown {@code parley.dialogue.*} properties fail the start).
 */
@ConfigMapping(prefix = "parley.dialogue")
public interface CredentialsConfig {

    /** Base64 of 32 random bytes; unset means provider keys can be neither stored nor used. */
    Optional<String> credentialsKey();
}
