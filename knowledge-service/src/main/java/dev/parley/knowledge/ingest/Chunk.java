package dev.parley.knowledge.ingest;

/** A piece of a document: its place, the heading of its section, and its text. */
public record Chunk(int ordinal, String heading, String text) {

    /** What is embedded for the chunk: the title and heading give a short chunk the context it lacks. */
    public String embeddingText(String title) {
        var embedded = new StringBuilder(title);
        if (heading != null && !heading.isEmpty() && !heading.equals(title)) {
            embedded.append(" \u2014 ").append(heading);
        }
        return embedded.append('\n').append(text).toString();
    }
}
