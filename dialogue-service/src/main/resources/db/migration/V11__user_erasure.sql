-- Erasure of a user (docs/erasure.md). Whose conversation a dialogue state and a processed message belong to, so
-- that a user.erased command finds them; rows written before this migration have no owner (NULL).
ALTER TABLE dialogue_state ADD COLUMN user_id text;
CREATE INDEX dialogue_state_by_user ON dialogue_state (tenant_id, user_id) WHERE user_id IS NOT NULL;

ALTER TABLE processed_messages
    ADD COLUMN tenant_id text,
    ADD COLUMN user_id   text;
CREATE INDEX processed_messages_by_user ON processed_messages (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX processed_messages_by_conversation ON processed_messages (conversation_id);

-- Tombstones. A turn of an erased user accepted (by the gateway) at or before erased_at, and any turn of an erased
-- conversation, writes nothing: it was produced before the erasure and arrives late, or it was sent on an old
-- session of the user after it.
CREATE TABLE erased_users (
    tenant_id  text        NOT NULL,
    user_id    text        NOT NULL,
    erased_at  timestamptz NOT NULL,
    erasure_id text        NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE erased_conversations (
    conversation_id uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    erased_at       timestamptz NOT NULL
);
