package dev.parley.dialogue.nlu;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The form of a text that NLU works on and caches by: Unicode-compatibility folded, lower-cased (both embedding
 * models are uncased, so this changes no embedding) and with runs of white space collapsed.
 */
public final class TextNormaliser {

    private TextNormaliser() {
    }

    public static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        var out = new StringBuilder(folded.length());
        boolean space = false;
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
