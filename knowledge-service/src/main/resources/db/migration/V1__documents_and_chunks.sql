-- A knowledge document of a tenant, optionally scoped to one bot. Its text lives in its chunks; status says whether
-- indexing has produced them yet.
CREATE TABLE knowledge_documents (
    id             uuid PRIMARY KEY,
    tenant_id      text        NOT NULL,
    bot_id         text,
    title          text        NOT NULL,
    source         text,
    tags           text[]      NOT NULL DEFAULT '{}',
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'indexed', 'failed')),
    failure_reason text,
    version        integer     NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX knowledge_documents_by_tenant ON knowledge_documents (tenant_id, bot_id, created_at DESC);

-- The pieces of a document's text, in order (ordinal 0..n-1).
CREATE TABLE knowledge_chunks (
    id          uuid PRIMARY KEY,
    document_id uuid        NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
    tenant_id   text        NOT NULL,
    ordinal     integer     NOT NULL,
    text        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (document_id, ordinal)
);
