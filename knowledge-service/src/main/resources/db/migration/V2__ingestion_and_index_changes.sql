-- What ingestion needs: the document's original bytes (the truth the index is rebuilt from), how to parse them, and
-- when ingestion was last requested (a pending document is its own outbox entry: the sweeper requests it again).
ALTER TABLE knowledge_documents
    ADD COLUMN content             bytea,
    ADD COLUMN content_type        text,
    ADD COLUMN filename            text,
    ADD COLUMN import_id           uuid,
    ADD COLUMN chunk_count         integer     NOT NULL DEFAULT 0,
    ADD COLUMN ingest_requested_at timestamptz,
    ADD COLUMN indexed_at          timestamptz;
CREATE INDEX knowledge_documents_pending ON knowledge_documents (ingest_requested_at) WHERE status = 'pending';
CREATE INDEX knowledge_documents_by_import ON knowledge_documents (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX knowledge_documents_page ON knowledge_documents (tenant_id, created_at DESC, id DESC);

-- A chunk keeps its section heading and its embedding (float32, little endian) so that any replica can rebuild its
-- index from the database without running the model again.
ALTER TABLE knowledge_chunks
    ADD COLUMN heading   text,
    ADD COLUMN embedding bytea;

-- Every change to what is searchable, in commit order (writers take one advisory lock before appending, so a
-- sequence number never becomes visible after a larger one). Each replica replays it to keep its index current.
CREATE TABLE knowledge_index_changes (
    seq         bigserial   PRIMARY KEY,
    tenant_id   text        NOT NULL,
    document_id uuid,
    kind        text        NOT NULL CHECK (kind IN ('document', 'tenant_erased')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A bulk import (NDJSON): its documents carry its id; progress is counted from their statuses.
CREATE TABLE knowledge_imports (
    id         uuid PRIMARY KEY,
    tenant_id  text        NOT NULL,
    total      integer     NOT NULL,
    created_at timestamptz NOT NULL
);
