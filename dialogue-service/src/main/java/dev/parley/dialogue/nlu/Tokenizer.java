package dev.parley.dialogue.nlu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lower-cased word unigrams and bigrams; a light plural/verb-ending fold so "cards" meets "card". */
final class Tokenizer {

    /** Function words, after {@link #fold}: they say little about what a message is about. */
    private static final java.util.Set<String> STOPWORDS = java.util.Set.of("a", "an", "the", "i", "me", "my", "you",
            "your", "we", "it", "is", "are", "wa", "be", "been", "am", "do", "doe", "did", "to", "of", "in", "on", "at",
            "for", "with", "about", "and", "or", "so", "that", "thi", "what", "who", "how", "why", "when", "where",
            "which", "can", "could", "would", "should", "will", "there", "here", "please", "tell", "some", "any", "just",
            "have", "ha", "had", "get", "if", "from", "by", "as");

    private Tokenizer() {
    }

    static List<String> terms(String text) {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else if (c == '\'' || c == '\u2019') {
                // "hasn't" -> "hasnt"
            } else if (!word.isEmpty()) {
                words.add(fold(word.toString()));
                word.setLength(0);
            }
        }
        var terms = new ArrayList<String>(words.size() * 2);
        for (String w : words) {
            if (!STOPWORDS.contains(w)) {
                terms.add(w);
            }
        }
        // Bigrams keep phrasing ("not arrived", "top up") but not chains of function words ("what is").
        for (int i = 1; i < words.size(); i++) {
            if (!STOPWORDS.contains(words.get(i - 1)) || !STOPWORDS.contains(words.get(i))) {
                terms.add(words.get(i - 1) + ' ' + words.get(i));
            }
        }
        return terms;
    }

    private static String fold(String word) {
        if (word.length() > 4 && word.endsWith("ing")) {
            return word.substring(0, word.length() - 3);
        }
        if (word.length() > 3 && word.endsWith("ed")) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
