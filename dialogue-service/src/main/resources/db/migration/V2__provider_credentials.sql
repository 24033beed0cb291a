-- Language model provider keys per tenant, AES-256-GCM encrypted with parley.dialogue.credentials-key
-- (version byte | 12-byte nonce | ciphertext and tag), bound to (tenant_id, name). Never stored in clear.
CREATE TABLE provider_credentials (
    tenant_id      text        NOT NULL,
    name           text        NOT NULL,
    provider       text        NOT NULL CHECK (provider IN ('openai', 'anthropic', 'gemini', 'mistral')),
    key_ciphertext bytea       NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
