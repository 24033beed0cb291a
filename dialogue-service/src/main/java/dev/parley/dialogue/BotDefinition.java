package dev.parley.dialogue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.events.QuickReply;
import dev.parley.common.events.SuggestedAction;
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
        Response fallback,
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
    public BotDefinition(String id, String name, String description, String language, Response fallback,
            Map<String, IntentDefinition> intents) {
        this(id, name, description, language, fallback, intents, null, null, null, null, null, null);
    }

    /** A bot that answers intents and recognises its own entities. */
    public BotDefinition(String id, String name, String description, String language, Response fallback,
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
