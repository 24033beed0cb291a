-- A URL source: one web page, or a sitemap whose pages become one document each. A sitemap is crawled
-- asynchronously (SitemapCrawler claims pending sources with a lease, so a crashed replica's crawl is taken over).
CREATE TABLE knowledge_sources (
    id              uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    bot_id          text,
    url             text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('page', 'sitemap')),
    title           text,
    tags            text[]      NOT NULL DEFAULT '{}',
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'crawled', 'failed')),
    failure_reason  text,
    document_count  integer     NOT NULL DEFAULT 0,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    crawled_at      timestamptz
);
CREATE INDEX knowledge_sources_pending ON knowledge_sources (created_at) WHERE status = 'pending';
CREATE INDEX knowledge_sources_by_tenant ON knowledge_sources (tenant_id, created_at DESC);

-- A document fetched from a URL: fetch_url is its identity within the tenant (fetching a known URL again makes a new
-- version of the same document); fetch_pending says the current version's content is still to be downloaded, which
-- ingestion does before parsing. auto_title: no title was given, so the page's own title replaces the URL.
ALTER TABLE knowledge_documents
    ADD COLUMN source_id     uuid REFERENCES knowledge_sources (id) ON DELETE SET NULL,
    ADD COLUMN fetch_url     text,
    ADD COLUMN fetch_pending boolean NOT NULL DEFAULT false,
    ADD COLUMN auto_title    boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX knowledge_documents_by_fetch_url ON knowledge_documents (tenant_id, fetch_url)
    WHERE fetch_url IS NOT NULL;
CREATE INDEX knowledge_documents_by_source ON knowledge_documents (source_id) WHERE source_id IS NOT NULL;
