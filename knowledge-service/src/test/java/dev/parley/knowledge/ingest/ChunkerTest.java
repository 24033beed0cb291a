package dev.parley.knowledge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChunkerTest {

    private final Chunker chunker = new Chunker(200, 60);

    @Test
    void aChunkNeverSpansTwoSectionsAndKeepsItsHeading() {
        var chunks = chunker.chunk(List.of(
                new Section("Opening hours", List.of("We open at nine.", "We close at five.")),
                new Section("Returns", List.of("Returns are free within 30 days."))));
        assertEquals(2, chunks.size());
        assertEquals("Opening hours", chunks.get(0).heading());
        assertEquals("We open at nine.\nWe close at five.", chunks.get(0).text());
        assertEquals("Returns", chunks.get(1).heading());
        assertEquals(1, chunks.get(1).ordinal());
    }

    @Test
    void longSectionsAreCutAtSentencesWithinTheTargetAndOverlap() {
        var sentences = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            sentences.append("Sentence number ").append(i).append(" says something useful. ");
        }
        var chunks = chunker.chunk(List.of(new Section("", List.of(sentences.toString().strip()))));
        assertTrue(chunks.size() > 3, "split into several chunks");
        for (int i = 0; i < chunks.size(); i++) {
            String text = chunks.get(i).text();
            assertTrue(text.length() <= 200, "within the target: " + text.length());
            assertTrue(text.endsWith("useful."), "cut at a sentence end: " + text);
            if (i > 0) {
                String previousLast = lastSentence(chunks.get(i - 1).text());
                assertTrue(text.startsWith(previousLast), "overlaps its predecessor's last sentence");
            }
        }
        assertTrue(chunks.get(chunks.size() - 1).text().contains("Sentence number 20 "), "nothing lost at the end");
    }

    @Test
    void aSentenceLongerThanTheTargetIsCutAtWords() {
        String longSentence = "word ".repeat(120).strip();
        var chunks = chunker.chunk(List.of(new Section("", List.of(longSentence))));
        assertTrue(chunks.size() >= 3);
        chunks.forEach(c -> assertTrue(c.text().length() <= 200 && !c.text().startsWith(" ")));
    }

    private static String lastSentence(String text) {
        int cut = text.lastIndexOf("Sentence number");
        return text.substring(cut);
    }
}
