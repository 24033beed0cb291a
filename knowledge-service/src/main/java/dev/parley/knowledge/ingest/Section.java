package dev.parley.knowledge.ingest;

import java.util.List;

/** A run of paragraphs under one heading (empty heading: text before the first heading). */
public record Section(String heading, List<String> paragraphs) {
}
