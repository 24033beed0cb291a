package dev.parley.knowledge.ingest;

/** The document's bytes cannot be turned into text; the message says why, in words a user can act on. */
public class UnreadableDocumentException extends Exception {

    public UnreadableDocumentException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnreadableDocumentException(String message) {
        super(message);
    }
}
