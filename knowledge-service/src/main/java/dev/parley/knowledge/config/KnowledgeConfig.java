package dev.parley.knowledge.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "parley.knowledge")
public interface KnowledgeConfig {

    Chunking chunking();

    Embedding embedding();

    Index index();

    Ingest ingest();

    Fetch fetch();

    interface Chunking {
        /** Aim for chunks of about this many characters. */
        @WithDefault("800")
        int targetCharacters();

        /** Repeat up to this many characters of a chunk's end at the start of the next one. */
        @WithDefault("160")
        int overlapCharacters();
    }

    interface Embedding {
        /** A langchain4j in-process EmbeddingModel class with a no-argument constructor. */
        @WithDefault("dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel")
        String model();

        /** Prepended to search queries only (BGE's retrieval instruction); empty for none. */
        @WithDefault("Represent this sentence for searching relevant passages: ")
        String queryPrefix();
    }

    interface Index {
        /** Where the index lives; in memory when absent. Either way it is rebuilt from the database at start. */
        Optional<String> directory();

        /** How often a replica reads the change log to apply other replicas' changes. */
        @WithDefault("PT0.5S")
        Duration followEvery();

        /** Hits each method (BM25, vectors) contributes to the fusion. */
        @WithDefault("50")
        int candidates();

        /** k of reciprocal rank fusion. */
        @WithDefault("60")
        int rrfK();
    }

    interface Ingest {
        /** Largest document accepted, in bytes. */
        @WithDefault("10485760")
        int maxDocumentBytes();

        /** A pending document whose ingestion was requested longer ago than this is requested again. */
        @WithDefault("PT60S")
        Duration retryAfter();

        /** How often pending documents are checked for a lost or late ingestion request. */
        @WithDefault("10s")
        String sweepEvery();

        /** Most documents in one NDJSON import. */
        @WithDefault("10000")
        int maxImportDocuments();
    }

    /** URL sources: fetching pages and sitemaps under the same SSRF policy as webhook endpoints. */
    interface Fetch {
        /** Refuse plain http:// URLs. */
        @WithDefault("false")
        boolean httpsOnly();

        /**
         * Networks (CIDR, e.g. {@code 127.0.0.0/8}, {@code 10.1.2.0/24}, {@code ::1/128}) that URLs may resolve to
         * although they are loopback, private, link-local, CGNAT or otherwise internal. Empty: every internal address
         * is refused (the production default); the local stack allows loopback.
         */
        Optional<List<String>> allowedNetworks();

        /** Time limit of one fetch, redirects included, from the first connect to the end of the last body. */
        @WithDefault("PT20S")
        Duration timeout();

        /** Largest response body accepted, in bytes (a page, or a sitemap after decompression). */
        @WithDefault("10485760")
        int maxBytes();

        /** Redirects followed per fetch; every hop is checked against the policy before it is connected to. */
        @WithDefault("5")
        int maxRedirects();

        /** Most pages taken from one sitemap (a sitemap index's sitemaps together); the rest are ignored. */
        @WithDefault("1000")
        int maxSitemapUrls();

        /** Most sitemaps read from one sitemap index. */
        @WithDefault("50")
        int maxSitemaps();

        /** How often pending URL sources (sitemaps to crawl, sources due again) are looked for. */
        @WithDefault("2s")
        String crawlEvery();

        /** Fetch every URL source again this long after its last crawl (new versions replace the old); off when absent. */
        Optional<Duration> refreshEvery();

        /** The User-Agent header of every request. */
        @WithDefault("Parley-Knowledge/1.0")
        String userAgent();
    }
}
