package dev.parley.dialogue.llm;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A piece of knowledge an answer may be grounded in, for example a chunk found by the knowledge search. An answer
 * that uses it cites it by its position in the request's list, {@code [1]} being the first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Source(String id, String title, String url, String text) {

    public Source {
        text = text == null ? "" : text;
    }
}
