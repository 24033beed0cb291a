package dev.parley.dialogue.nlu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

/** Both shipped models load from their Maven artifacts, embed as their reference implementation does, and cache. */
class EncoderTest {

    @ParameterizedTest
    @EnumSource(EmbeddingModelChoice.class)
    void embedsLikeTheArtifactsOwnModelClass(EmbeddingModelChoice choice) {
        EmbeddingModel reference = choice == EmbeddingModelChoice.BGE_SMALL_EN_V15_Q
                ? new BgeSmallEnV15QuantizedEmbeddingModel()
                : new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (var encoder = new OnnxSentenceEncoder(choice, 1)) {
            assertEquals(384, encoder.dimension());
            for (String text : new String[] { "my card has not arrived yet", "how do i top up with apple pay?" }) {
                float[] ours = encoder.embed(text);
                float[] theirs = reference.embed(text).content().vector();
                assertTrue(cosine(ours, theirs) > 0.999, choice + ": " + cosine(ours, theirs));
                assertEquals(1.0, cosine(ours, ours), 1e-4);
            }
            double related = cosine(encoder.embed("my card has not arrived yet"),
                    encoder.embed("the card you sent me is still not here"));
            double unrelated = cosine(encoder.embed("my card has not arrived yet"),
                    encoder.embed("what is the boiling point of water"));
            assertTrue(related > unrelated + 0.1, related + " vs " + unrelated);
        }
    }

    @ParameterizedTest
    @EnumSource(value = EmbeddingModelChoice.class, names = "ALL_MINILM_L6_V2_Q")
    void theSameTextIsEmbeddedOnce(EmbeddingModelChoice choice) {
        try (var encoder = new OnnxSentenceEncoder(choice, 1)) {
            var cache = new EmbeddingCache(encoder, 100);
            float[] first = cache.embed("Where is my  CARD?");
            float[] again = cache.embed("  where is my card? ");
            assertSame(first, again);
            assertEquals(1, cache.computed());
            assertArrayEquals(encoder.embed("where is my card?"), first, 1e-6f);
            cache.embed("where is my pin?");
            assertEquals(2, cache.computed());
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
