-- A tenant's webhook endpoint and the event types it wants. Signing secrets are stored encrypted only; during a
-- rotation the previous secret stays valid (and is used to sign too) until previous_secret_expires_at.
CREATE TABLE webhook_subscriptions (
    id                         uuid PRIMARY KEY,
    tenant_id                  text        NOT NULL,
    url                        text        NOT NULL,
    event_types                text[]      NOT NULL,
    description                text,
    secret_ciphertext          text        NOT NULL,
    previous_secret_ciphertext text,
    previous_secret_expires_at timestamptz,
    rate_limit_per_second      integer,
    enabled                    boolean     NOT NULL DEFAULT true,
    disabled_reason            text,
    disabled_at                timestamptz,
    -- The first failure since the last success: an endpoint failing for too long is disabled.
    failing_since              timestamptz,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL
);
CREATE INDEX webhook_subscriptions_by_tenant ON webhook_subscriptions (tenant_id, created_at DESC);

-- One event as it is sent to subscribers: the exact body that is signed, kept for retries and replays until the
-- retention period purges it (body becomes NULL).
CREATE TABLE webhook_events (
    id          text PRIMARY KEY,
    tenant_id   text        NOT NULL,
    event_type  text        NOT NULL,
    webhook_id  text        NOT NULL,
    body        text,
    occurred_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX webhook_events_by_age ON webhook_events (created_at) WHERE body IS NOT NULL;

-- One event to deliver to one subscription. An event is delivered to a subscription at most once: the unique key
-- makes a redelivered Kafka record a no-op. A pending row is due at next_attempt_at; a replica that claims it moves
-- next_attempt_at forward by a lease, so a crashed replica's work becomes due again by itself.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    tenant_id        text        NOT NULL,
    event_id         text        NOT NULL REFERENCES webhook_events (id),
    event_type       text        NOT NULL,
    status           text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    UNIQUE (subscription_id, event_id),
    CHECK (status IN ('pending', 'succeeded', 'failed'))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, created_at DESC, id DESC);

-- Every HTTP attempt of a delivery: the receiver's status code (NULL when no response came), or the error.
CREATE TABLE webhook_attempts (
    id               bigserial PRIMARY KEY,
    delivery_id      uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at     timestamptz NOT NULL,
    status_code      integer,
    duration_ms      integer     NOT NULL,
    response_excerpt text,
    error            text
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, attempted_at);

-- Events about webhooks themselves (webhook.endpoint.disabled), written in the transaction that changes the state
-- and published to Kafka after it, so the event and the state never disagree after a crash.
CREATE TABLE webhook_outbox (
    id         uuid PRIMARY KEY,
    tenant_id  text        NOT NULL,
    event_type text        NOT NULL,
    record_key text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);
