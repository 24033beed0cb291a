-- Key lifecycle: who rotated what, and an index for listing a tenant's keys newest first.
ALTER TABLE api_keys ADD COLUMN replaces uuid REFERENCES api_keys (id) ON DELETE SET NULL;
ALTER TABLE api_keys ADD COLUMN created_by text;
CREATE INDEX api_keys_by_tenant_created ON api_keys (tenant_id, created_at DESC);

-- Per-tenant rate limits as JSON ({"perKey": {"capacity": 50, "periodSeconds": 1}, "perTenant": {...}});
-- NULL or a missing part means the configured default.
ALTER TABLE tenants ADD COLUMN rate_limits jsonb;

-- The first result of every POST sent with an Idempotency-Key, kept for replay until expires_at.
CREATE TABLE idempotency_records (
    tenant_id       text        NOT NULL,
    idempotency_key text        NOT NULL,
    fingerprint     text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('in_flight', 'completed')),
    status          int,
    headers         jsonb,
    body            bytea,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

-- Token buckets shared by the gateway replicas (parley.security.rate-limit.shared=true), in Bucket4j's layout.
CREATE TABLE rate_limit_buckets (
    id         text PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
