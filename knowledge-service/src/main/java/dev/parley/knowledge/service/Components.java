package dev.parley.knowledge.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.ingest.Chunker;
import dev.parley.knowledge.ingest.TextExtractor;
import dev.parley.knowledge.search.Embedder;

/** The framework-free pieces of ingestion and search (shared with the benchmark), as beans. */
@ApplicationScoped
public class Components {

    @Produces
    @Singleton
    Embedder embedder(KnowledgeConfig config) {
        return new Embedder(config.embedding().model(), config.embedding().queryPrefix());
    }

    @Produces
    @Singleton
    Chunker chunker(KnowledgeConfig config) {
        return new Chunker(config.chunking().targetCharacters(), config.chunking().overlapCharacters());
    }

    @Produces
    @Singleton
    TextExtractor extractor() {
        return new TextExtractor();
    }
}
