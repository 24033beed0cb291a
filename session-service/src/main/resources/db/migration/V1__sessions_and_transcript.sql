CREATE TABLE conversations (
    id               uuid PRIMARY KEY,
    tenant_id        text        NOT NULL,
    bot_id           text        NOT NULL,
    user_id          text        NOT NULL,
    status           text        NOT NULL DEFAULT 'active',
    started_at       timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    message_count    integer     NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_user ON conversations (tenant_id, user_id, started_at DESC);

CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    conversation_id uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         text        NOT NULL,
    bot_id          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX sessions_by_conversation ON sessions (conversation_id);

-- The transcript. A message's place is its turn (the user message it belongs to, ordered by the time the
-- gateway accepted it) and its position in that turn (0 = the user message, 1.. = the bot's messages), so the
-- order is right whichever consumer stores a message first.
CREATE TABLE messages (
    id                uuid PRIMARY KEY,
    conversation_id   uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    tenant_id         text        NOT NULL,
    role              text        NOT NULL CHECK (role IN ('user', 'bot')),
    text              text        NOT NULL,
    turn_at           timestamptz NOT NULL,
    turn_id           uuid        NOT NULL,
    position          integer     NOT NULL,
    in_reply_to       uuid,
    intent_name       text,
    intent_confidence double precision,
    details           jsonb,
    created_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX messages_in_order ON messages (conversation_id, turn_at, turn_id, position);

-- Transactional outbox: an event is written in the same transaction as the change it announces and deleted once
-- Kafka has it.
CREATE TABLE outbox (
    id         uuid PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    type       text        NOT NULL,
    tenant_id  text        NOT NULL,
    bot_id     text,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX outbox_by_age ON outbox (created_at);
