package dev.parley.knowledge.ingest;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Structure-aware chunking: a chunk never spans two sections, paragraphs are packed whole up to the target size,
 * a paragraph longer than the target is cut at sentence ends (at a word end if a sentence alone is too long), and
 * each chunk after the first of a section repeats the last sentences of its predecessor up to the overlap, so an
 * answer that straddles a cut is still found whole in one chunk.
 */
public final class Chunker {

    private final int targetCharacters;
    private final int overlapCharacters;

    public Chunker(int targetCharacters, int overlapCharacters) {
        if (targetCharacters < 50 || overlapCharacters < 0 || overlapCharacters >= targetCharacters / 2) {
            throw new IllegalArgumentException("need target >= 50 and 0 <= overlap < target / 2");
        }
        this.targetCharacters = targetCharacters;
        this.overlapCharacters = overlapCharacters;
    }

    public List<Chunk> chunk(List<Section> sections) {
        var chunks = new ArrayList<Chunk>();
        for (Section section : sections) {
            var units = new ArrayList<String>(); // sentences, each tagged by whether it ends a paragraph
            var paragraphEnds = new ArrayList<Boolean>();
            for (String paragraph : section.paragraphs()) {
                var sentences = sentences(paragraph);
                for (int i = 0; i < sentences.size(); i++) {
                    units.add(sentences.get(i));
                    paragraphEnds.add(i == sentences.size() - 1);
                }
            }
            pack(section.heading(), units, paragraphEnds, chunks);
        }
        return chunks;
    }

    private void pack(String heading, List<String> units, List<Boolean> paragraphEnds, List<Chunk> chunks) {
        int start = 0;
        while (start < units.size()) {
            var text = new StringBuilder();
            int end = start;
            while (end < units.size()) {
                String unit = units.get(end);
                int added = text.isEmpty() ? unit.length() : unit.length() + 1;
                if (!text.isEmpty() && text.length() + added > targetCharacters) {
                    break;
                }
                if (!text.isEmpty()) {
                    text.append(end > 0 && paragraphEnds.get(end - 1) ? '\n' : ' ');
                }
                text.append(unit);
                end++;
            }
            chunks.add(new Chunk(chunks.size(), heading, text.toString()));
            if (end >= units.size()) {
                return;
            }
            // Step back over trailing sentences that fit in the overlap, but always move forward.
            int next = end;
            int overlap = 0;
            while (next - 1 > start && overlap + units.get(next - 1).length() <= overlapCharacters) {
                overlap += units.get(next - 1).length() + 1;
                next--;
            }
            start = next;
        }
    }

    /** Sentences of a paragraph, none longer than the target (longer ones are cut at word ends). */
    List<String> sentences(String paragraph) {
        var result = new ArrayList<String>();
        var iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        iterator.setText(paragraph);
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            String sentence = paragraph.substring(start, end).strip();
            while (sentence.length() > targetCharacters) {
                int cut = sentence.lastIndexOf(' ', targetCharacters);
                if (cut <= 0) {
                    cut = targetCharacters;
                }
                result.add(sentence.substring(0, cut).strip());
                sentence = sentence.substring(cut).strip();
            }
            if (!sentence.isEmpty()) {
                result.add(sentence);
            }
        }
        return result;
    }
}
