-- Erasure of a user (docs/erasure.md). Whom an event is about, taken from its data at fan-out (userId,
-- conversationId, else the ce_conversationid header), so that a user.erased command finds it; events stored before
-- this migration have neither (NULL). An erased event keeps its row for the delivery log, without its body.
ALTER TABLE webhook_events
    ADD COLUMN user_id         text,
    ADD COLUMN conversation_id text,
    ADD COLUMN erased_at       timestamptz;
CREATE INDEX webhook_events_by_user ON webhook_events (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX webhook_events_by_conversation ON webhook_events (tenant_id, conversation_id)
    WHERE conversation_id IS NOT NULL;

-- Tombstones. An event about an erased user that occurred at or before erased_at, and any event about an erased
-- conversation, is not stored when it arrives late: no delivery is made of it.
CREATE TABLE webhook_erased_users (
    tenant_id  text        NOT NULL,
    user_id    text        NOT NULL,
    erased_at  timestamptz NOT NULL,
    erasure_id text        NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE webhook_erased_conversations (
    tenant_id       text        NOT NULL,
    conversation_id text        NOT NULL,
    erased_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id)
);
