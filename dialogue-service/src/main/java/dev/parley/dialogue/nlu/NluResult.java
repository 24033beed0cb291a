package dev.parley.dialogue.nlu;

import java.util.List;

/**
 * What NLU made of one text: the best intent and the ranking of intents with calibrated confidences, whether the
 * text is out of scope (it matches none of the bot's intents well enough) and the score that decided it (higher is
 * further from every intent: a Mahalanobis distance, or one minus the confidence), the entities found, which engine
 * answered ({@code classifier}; {@code knn} or {@code tf-idf} while the classifier of a new bot version is still
 * training), the embedding model, and how long the analysis took.
 */
public record NluResult(String text, IntentModel.Scored intent, List<IntentModel.Scored> intents,
        boolean outOfScope, double outOfScopeScore, List<Entity> entities, String engine, String model,
        double latencyMillis) {

    public static final String CLASSIFIER = "classifier";
    public static final String KNN = "knn";
    public static final String TF_IDF = "tf-idf";
}
