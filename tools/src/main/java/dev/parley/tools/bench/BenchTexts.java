package dev.parley.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The message texts the virtual users send. */
public final class BenchTexts {

    /**
     * What customers of an online bank type: mostly card, top-up, transfer and account questions, some
     * greetings and small talk, and a few texts that no banking bot should understand.
     */
    public static final List<String> BUILT_IN = List.of(
            "My card still hasn't arrived",
            "How do I top up by bank transfer?",
            "I want to change my PIN",
            "My card payment was declined",
            "I think someone used my card without my permission",
            "Why was I charged a fee for my transfer?",
            "How long does a transfer to another bank take?",
            "My top-up failed, what should I do?",
            "Can I get a refund for a card payment?",
            "How do I freeze my card?",
            "What exchange rate do you use for euros to dollars?",
            "I forgot my password and can't log in",
            "How can I verify my identity?",
            "Where can I download my account statement?",
            "Is there a limit on ATM withdrawals?",
            "The ATM kept my card",
            "I was charged twice for the same purchase",
            "How do I close my account?",
            "Can I get a virtual card?",
            "How do I add money with Apple Pay?",
            "My transfer has been pending for two days",
            "I want to dispute a transaction",
            "How do I update my address?",
            "Does my card work abroad?",
            "My salary hasn't shown up in my account yet",
            "hi",
            "Hello there",
            "good morning",
            "thanks, bye",
            "What's the weather like tomorrow?",
            "Tell me a joke",
            "Who won the football match last night?",
            "asdfgh");

    private BenchTexts() {
    }

    /** The non-blank lines of {@code file} (stripped), or {@link #BUILT_IN} when {@code file} is null. */
    public static List<String> load(Path file) throws IOException {
        if (file == null) {
            return BUILT_IN;
        }
        List<String> texts = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        if (texts.isEmpty()) {
            throw new IOException(file + " has no non-blank line");
        }
        return texts;
    }
}
