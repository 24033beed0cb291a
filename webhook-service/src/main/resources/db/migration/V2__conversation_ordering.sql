-- Optional strict ordering per conversation. An endpoint with ordering = 'conversation' gets the deliveries of one
-- conversation one after the other, in event order: a delivery is not attempted while an earlier delivery of the same
-- conversation to the same endpoint is still pending (waiting for its first attempt or retrying). A delivery that
-- succeeds or finally fails releases the next one. Endpoints with ordering = 'none' (the default) are not affected.
ALTER TABLE webhook_subscriptions
    ADD COLUMN ordering text NOT NULL DEFAULT 'none' CHECK (ordering IN ('none', 'conversation'));

-- A delivery's place in its line: set only for deliveries to an endpoint that asked for ordering (NULL otherwise, and
-- for events that belong to no conversation). line_sequence grows in the order the events were read from Kafka.
-- A pending delivery that waits behind an earlier one of its line is parked: next_attempt_at IS NULL keeps it out
-- of the claimer's scan of due deliveries until the one ahead finishes.
ALTER TABLE webhook_deliveries
    ADD COLUMN conversation_id text,
    ADD COLUMN line_sequence   bigint,
    ADD CONSTRAINT webhook_deliveries_line CHECK ((conversation_id IS NULL) = (line_sequence IS NULL));

CREATE SEQUENCE webhook_delivery_line_sequence AS bigint;

-- The pending deliveries of every line, in order: answers "is anything ahead of this one still pending?" with one
-- index probe, and lets the line sweep find parked deliveries without touching anything else.
CREATE INDEX webhook_deliveries_lines ON webhook_deliveries (subscription_id, conversation_id, line_sequence)
    WHERE status = 'pending' AND conversation_id IS NOT NULL;
