package dev.parley.dialogue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.events.QuickReply;
import dev.parley.common.events.SuggestedAction;
import dev.parley.common.problem.Problem.FieldError;
import dev.parley.dialogue.flow.FlowModel;
import dev.parley.dialogue.llm.BotModels;

/**
 * What a bot knows: its intents with their training phrases and responses, and what it says when it does not
 * understand. Stored as JSON, imported from YAML or JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BotDefinition(
        String id,
        String name,
        String description,
        String language,
        Fallback fallback,
        Map<String, IntentDefinition> intents,
        Map<String, FlowModel.Slot> slots,
        Map<String, FlowModel.Flow> flows,
        Map<String, FlowModel.Endpoint> endpoints,
        FlowModel.Policy policy,
        BotModels models,
        Map<String, EntityDefinition> entities) {

    public BotDefinition {
        intents = intents == null ? Map.of() : new LinkedHashMap<>(intents);
        slots = slots == null ? Map.of() : new LinkedHashMap<>(slots);
        flows = flows == null ? Map.of() : new LinkedHashMap<>(flows);
        endpoints = endpoints == null ? Map.of() : new LinkedHashMap<>(endpoints);
        policy = policy == null ? FlowModel.Policy.DEFAULT : policy;
        models = models == null ? BotModels.NONE : models;
        entities = entities == null ? Map.of() : new LinkedHashMap<>(entities);
    }

    /** A bot that only answers intents: no slots, flows or endpoints. */
    public BotDefinition(String id, String name, String description, String language, Fallback fallback,
            Map<String, IntentDefinition> intents) {
        this(id, name, description, language, fallback, intents, null, null, null, null, null, null);
    }

    /** A bot that answers intents and recognises its own entities. */
    public BotDefinition(String id, String name, String description, String language, Fallback fallback,
            Map<String, IntentDefinition> intents, Map<String, EntityDefinition> entities) {
        this(id, name, description, language, fallback, intents, null, null, null, null, null, entities);
    }

    public BotDefinition withIntents(Map<String, IntentDefinition> newIntents) {
        return new BotDefinition(id, name, description, language, fallback, newIntents, slots, flows, endpoints,
                policy, models, entities);
    }

    /**
     * A bot's own entity: either a list ({@code values}: each canonical value with its synonyms) or a regular
     * expression ({@code pattern}; its first group, when it has one, is the value).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record EntityDefinition(Map<String, List<String>> values, String pattern) {

        public EntityDefinition {
            values = values == null ? Map.of() : new LinkedHashMap<>(values);
        }
    }

    /**
     * What the bot does with a message its intents do not cover, in order: answer from the tenant's knowledge base
     * (unless {@code knowledge} is false), else let a language model answer (when the bot routes answer generation
     * to one), else say one of {@code responses}; after the policy's number of misses in a row, hand over to a human.
     * A definition without the knowledge settings uses the service's defaults.
     *
     * @param knowledge     false: never search the knowledge base; null or true: search it
     * @param minSimilarity the similarity (0..1) the best passage must reach; null for the service's default
     * @param maxSources    at most this many passages (1..10) ground an answer; null for the service's default
     * @param tags          only documents carrying every one of these tags
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Fallback(List<String> responses, List<QuickReply> quickReplies,
            List<SuggestedAction> suggestedActions, Boolean knowledge, Double minSimilarity, Integer maxSources,
            List<String> tags) {

        public static final int MAX_SOURCES = 10;
        public static final int MAX_TAGS = 20;
        static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");

        public Fallback {
            responses = responses == null ? List.of() : List.copyOf(responses);
            quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
            suggestedActions = suggestedActions == null ? List.of() : List.copyOf(suggestedActions);
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        /** A fallback message only, with the knowledge settings left to the service's defaults. */
        public static Fallback of(Response response) {
            return new Fallback(response.responses(), response.quickReplies(), response.suggestedActions(), null,
                    null, null, null);
        }

        /** What the bot says when nothing answered. */
        public Response response() {
            return new Response(responses, quickReplies, suggestedActions);
        }

        public boolean searchesKnowledge() {
            return !Boolean.FALSE.equals(knowledge);
        }

        /** Everything wrong with the settings, each with its path under {@code fallback}. */
        public List<FieldError> validate() {
            var errors = new ArrayList<FieldError>();
            if (minSimilarity != null && (minSimilarity.isNaN() || minSimilarity < 0 || minSimilarity > 1)) {
                errors.add(new FieldError("fallback.minSimilarity",
                        "a similarity from 0 to 1"));
            }
            if (maxSources != null && (maxSources < 1 || maxSources > MAX_SOURCES)) {
                errors.add(new FieldError("fallback.maxSources",
                        "from 1 to " + MAX_SOURCES));
            }
            if (tags.size() > MAX_TAGS) {
                errors.add(new FieldError("fallback.tags",
                        "at most " + MAX_TAGS + " tags"));
            }
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i) == null || !TAG.matcher(tags.get(i)).matches()) {
                    errors.add(new FieldError("fallback.tags[" + i + "]",
                            "tags are 1-64 letters, digits or . _ : / -"));
                }
            }
            return errors;
        }
    }

    /** What the bot says: one of the response variants, plus the quick replies and actions offered with it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Response(List<String> responses, List<QuickReply> quickReplies,
            List<SuggestedAction> suggestedActions) {

        public Response {
            responses = responses == null ? List.of() : List.copyOf(responses);
            quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
            suggestedActions = suggestedActions == null ? List.of() : List.copyOf(suggestedActions);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IntentDefinition(List<String> examples, List<String> responses, List<QuickReply> quickReplies,
            List<SuggestedAction> suggestedActions) {

        public IntentDefinition {
            examples = examples == null ? List.of() : List.copyOf(examples);
            responses = responses == null ? List.of() : List.copyOf(responses);
            quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
            suggestedActions = suggestedActions == null ? List.of() : List.copyOf(suggestedActions);
        }

        public Response response() {
            return new Response(responses, quickReplies, suggestedActions);
        }

        public IntentDefinition withExamples(List<String> more) {
            var all = new java.util.ArrayList<>(examples);
            all.addAll(more);
            return new IntentDefinition(all, responses, quickReplies, suggestedActions);
        }
    }
}
