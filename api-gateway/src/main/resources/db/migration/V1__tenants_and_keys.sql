CREATE TABLE tenants (
    id             text PRIMARY KEY,
    name           text        NOT NULL,
    default_bot_id text,
    created_at     timestamptz NOT NULL
);

-- API keys are stored as a keyed hash (HMAC-SHA256 with the server's pepper), never in clear.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    prefix       text        NOT NULL,
    key_hash     text        NOT NULL UNIQUE,
    scopes       text[]      NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id);
