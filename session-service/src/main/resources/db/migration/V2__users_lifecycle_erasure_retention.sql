-- Users of a tenant (the integrator's own ids) and their custom attributes, a JSON object of typed values.
CREATE TABLE users (
    tenant_id   text        NOT NULL,
    user_id     text        NOT NULL,
    attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- Conversation lifecycle: why and when it ended.
ALTER TABLE conversations ADD COLUMN ended_at timestamptz;
ALTER TABLE conversations ADD COLUMN outcome text;
ALTER TABLE conversations ADD COLUMN handoff_at timestamptz;
CREATE INDEX conversations_by_tenant ON conversations (tenant_id, started_at DESC, id DESC);
CREATE INDEX conversations_active_by_activity ON conversations (last_activity_at) WHERE status <> 'closed';
CREATE INDEX messages_by_tenant_time ON messages (tenant_id, created_at);

-- Erasure requests. A request is also the user's tombstone: data for the user produced before requested_at and
-- arriving later is dropped.
CREATE TABLE erasures (
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL,
    user_id      text        NOT NULL,
    requested_at timestamptz NOT NULL,
    completed_at timestamptz
);
CREATE INDEX erasures_by_user ON erasures (tenant_id, user_id, requested_at DESC);

-- One row per service that must confirm an erasure.
CREATE TABLE erasure_confirmations (
    erasure_id   uuid        NOT NULL REFERENCES erasures (id) ON DELETE CASCADE,
    service      text        NOT NULL,
    confirmed_at timestamptz,
    items_erased bigint,
    PRIMARY KEY (erasure_id, service)
);

-- Per-tenant transcript retention; tenants without a row use parley.session.retention.default-days.
CREATE TABLE tenant_retention (
    tenant_id      text PRIMARY KEY,
    retention_days integer     NOT NULL CHECK (retention_days >= 0),
    updated_at     timestamptz NOT NULL
);
