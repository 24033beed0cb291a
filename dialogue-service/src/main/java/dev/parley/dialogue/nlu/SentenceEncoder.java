package dev.parley.dialogue.nlu;

/** Turns a text into a unit-length sentence embedding. Implementations are thread-safe. */
public interface SentenceEncoder {

    /** The model's name, part of every cache key and shown in parse results. */
    String model();

    int dimension();

    /** The L2-normalised embedding of the text. */
    float[] embed(String text);
}
