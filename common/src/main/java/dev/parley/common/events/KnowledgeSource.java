package dev.parley.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A knowledge base passage a bot answer is grounded in: the chunk of a tenant's document that the knowledge search
 * found, shown to the user so the answer can be checked.
 *
 * @param documentId the knowledge document
 * @param chunkId    the chunk of it that the answer used
 * @param title      the document's title
 * @param snippet    the sentences of the chunk that best match the question
 * @param url        the document's source (its URL, when it has one); may be null
 * @param score      cosine similarity of the question and the chunk, -1..1
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KnowledgeSource(String documentId, String chunkId, String title, String snippet, String url,
        double score) {
}
