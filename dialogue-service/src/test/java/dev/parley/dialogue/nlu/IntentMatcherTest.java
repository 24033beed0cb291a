package dev.parley.dialogue.nlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.parley.dialogue.service.DemoBot;

/** The demo bot's matcher, trained on 80% of each BANKING77 intent's phrases and judged on the other 20%. */
class IntentMatcherTest {

    /** The default {@code parley.dialogue.match-threshold}. */
    static final double THRESHOLD = 0.3;

    static IntentMatcher matcher;
    static Map<String, List<String>> heldOut = new LinkedHashMap<>();

    @BeforeAll
    static void train() {
        var training = new LinkedHashMap<String, List<String>>();
        DemoBot.load().intents().forEach((intent, definition) -> {
            var examples = definition.examples();
            var train = new ArrayList<String>();
            var test = new ArrayList<String>();
            for (int i = 0; i < examples.size(); i++) {
                (i % 5 == 4 ? test : train).add(examples.get(i));
            }
            training.put(intent, train);
            heldOut.put(intent, test);
        });
        matcher = new IntentMatcher(training);
    }

    @Test
    void recognisesMostHeldOutPhrases() {
        int correct = 0;
        int top1 = 0;
        int total = 0;
        for (var entry : heldOut.entrySet()) {
            for (String text : entry.getValue()) {
                var match = matcher.match(text);
                total++;
                if (match.intent() != null && entry.getKey().equals(match.intent().name())) {
                    top1++;
                }
                if (match.score() >= THRESHOLD && entry.getKey().equals(match.intent().name())) {
                    correct++;
                }
            }
        }
        double accuracy = (double) correct / total;
        System.out.printf("Held-out accuracy of the TF-IDF matcher: %.1f%% top-1, %.1f%% at threshold %.2f, of %d%n",
                100.0 * top1 / total, 100 * accuracy, THRESHOLD, total);
        assertTrue(accuracy > 0.70, "accuracy " + accuracy);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            My card still hasn't arrived, it's been two weeks | card_arrival
            I think someone stole my card                     | lost_or_stolen_card
            how do I change my PIN                            | change_pin
            hello there                                       | greeting
            """)
    void recognisesClearRequests(String text, String intent) {
        var match = matcher.match(text);
        assertEquals(intent, match.intent().name());
        assertTrue(match.score() >= THRESHOLD, "score " + match.score());
    }

    @ParameterizedTest
    @ValueSource(strings = { "what is the boiling point of tungsten", "tell me a joke about penguins",
            "who won the football world cup in 1966", "recommend a good pizza recipe", "asdf qwerty zxcv" })
    void doesNotForceUnrelatedTextsIntoAnIntent(String text) {
        var match = matcher.match(text);
        assertTrue(match.score() < THRESHOLD, text + " scored " + match.score() + " as " + match.intent());
    }
}
