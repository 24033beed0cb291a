package dev.parley.knowledge.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "parley.knowledge")
public interface KnowledgeConfig {

    Chunking chunking();

    Embedding embedding();

    Index index();

    Ingest ingest();

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
}
