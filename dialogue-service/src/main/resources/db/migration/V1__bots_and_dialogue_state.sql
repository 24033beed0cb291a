-- Versioned bot definitions. A conversation stays on the version it started with.
CREATE TABLE bots (
    tenant_id    text        NOT NULL,
    id           text        NOT NULL,
    version      integer     NOT NULL,
    status       text        NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    definition   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id, version)
);

CREATE TABLE dialogue_state (
    conversation_id uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    bot_id          text        NOT NULL,
    bot_version     integer     NOT NULL,
    turns           integer     NOT NULL DEFAULT 0,
    misses          integer     NOT NULL DEFAULT 0,
    last_intent     text,
    updated_at      timestamptz NOT NULL
);

-- Dedupe of user messages: a redelivered message gets the reply it got the first time, and the state is not
-- advanced twice.
CREATE TABLE processed_messages (
    message_id      uuid PRIMARY KEY,
    conversation_id uuid        NOT NULL,
    reply           text        NOT NULL,
    processed_at    timestamptz NOT NULL
);
CREATE INDEX processed_messages_by_age ON processed_messages (processed_at);
