-- Flows and human handoff: where a conversation is in a flow (JSON), and whether a human has it.
ALTER TABLE dialogue_state
    ADD COLUMN status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'handoff')),
    ADD COLUMN flow       text,
    ADD COLUMN handoff_at timestamptz;

-- The events a turn raised, kept with its reply so a redelivered message announces them again (consumers dedupe
-- on the event id, which derives from the message id).
ALTER TABLE processed_messages ADD COLUMN events text;
