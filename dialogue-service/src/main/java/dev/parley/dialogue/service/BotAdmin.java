package dev.parley.dialogue.service;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.repository.BotRepository;

/**
 * The bot admin API's logic: import a definition (YAML or JSON) as a draft or published version, validate it,
 * publish drafts, list versions, export. Versions never change once stored; conversations keep the version they
 * started on.
 */
@ApplicationScoped
public class BotAdmin {

    public record Saved(String botId, int version, String status, int intents, int flows) {
    }

    public record Summary(String botId, String name, String description, String language, Integer publishedVersion,
            int latestVersion, List<BotRepository.VersionInfo> versions) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper JSON_STRICT = new ObjectMapper().findAndRegisterModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Inject
    BotRepository bots;
    @Inject
    BotRegistry registry;
    @Inject
    ObjectMapper json;

    /** Parses, validates and stores a new version; {@code botId} (from the path) must match the body's id if set. */
    public Saved save(String tenantId, String botId, String body, boolean yaml, boolean publish) throws SQLException {
        var definition = parse(body, yaml);
        if (botId != null) {
            if (definition.id() != null && !definition.id().equals(botId)) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED, "The definition's id is not the bot's id",
                        List.of(new Problem.FieldError("id", "must be '" + botId + "' or absent")));
            }
            definition = new BotDefinition(botId, definition.name(), definition.description(), definition.language(),
                    definition.fallback(), definition.intents(), definition.slots(), definition.flows(),
                    definition.endpoints(), definition.policy(), definition.models(), definition.entities());
        }
        var errors = BotValidator.validate(definition);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                    "The bot definition has " + errors.size() + " error(s)", errors);
        }
        int version;
        try {
            version = bots.save(tenantId, definition.id(), json.writeValueAsString(definition), publish);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (publish) {
            registry.forgetLatest(tenantId, definition.id());
        }
        return new Saved(definition.id(), version, publish ? "published" : "draft", definition.intents().size(),
                definition.flows().size());
    }

    public Saved publish(String tenantId, String botId, int version) throws SQLException {
        var stored = bots.version(tenantId, botId, version).orElseThrow(() -> new ProblemException(
                ProblemCode.BOT_NOT_FOUND, "Bot " + botId + " has no version " + version));
        if (!bots.publishDraft(tenantId, botId, version)) {
            throw new ProblemException(ProblemCode.CONFLICT, "Version " + version + " is already published");
        }
        registry.forgetLatest(tenantId, botId);
        var definition = read(stored.definition());
        return new Saved(botId, version, "published", definition.intents().size(), definition.flows().size());
    }

    public List<Summary> list(String tenantId) throws SQLException {
        var summaries = new ArrayList<Summary>();
        for (String id : bots.botIds(tenantId)) {
            summaries.add(summary(tenantId, id));
        }
        return summaries;
    }

    public Summary summary(String tenantId, String botId) throws SQLException {
        var versions = bots.versions(tenantId, botId);
        if (versions.isEmpty()) {
            throw new ProblemException(ProblemCode.BOT_NOT_FOUND, "No bot " + botId);
        }
        Integer published = versions.stream().filter(v -> v.status().equals("published")).map(v -> v.version())
                .findFirst().orElse(null);
        var shown = bots.version(tenantId, botId, published != null ? published : versions.get(0).version())
                .orElseThrow();
        var definition = read(shown.definition());
        return new Summary(botId, definition.name(), definition.description(), definition.language(), published,
                versions.get(0).version(), versions);
    }

    /** The stored definition of a version (the latest when null), as YAML or JSON text. */
    public String export(String tenantId, String botId, Integer version, boolean yaml) throws SQLException {
        int wanted = version != null ? version : summary(tenantId, botId).latestVersion();
        var stored = bots.version(tenantId, botId, wanted).orElseThrow(() -> new ProblemException(
                ProblemCode.BOT_NOT_FOUND, "Bot " + botId + " has no version " + wanted));
        var definition = withoutSecrets(read(stored.definition()));
        try {
            return yaml ? YAML.writeValueAsString(definition)
                    : json.writerWithDefaultPrettyPrinter().writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exports never carry endpoint signing secrets; an import must supply them again. */
    private static BotDefinition withoutSecrets(BotDefinition bot) {
        var endpoints = new java.util.LinkedHashMap<String, dev.parley.dialogue.flow.FlowModel.Endpoint>();
        bot.endpoints().forEach((name, e) -> endpoints.put(name, new dev.parley.dialogue.flow.FlowModel.Endpoint(
                e.url(), e.timeoutMillis(), e.idempotent(), null, e.fallback())));
        return new BotDefinition(bot.id(), bot.name(), bot.description(), bot.language(), bot.fallback(),
                bot.intents(), bot.slots(), bot.flows(), endpoints, bot.policy(), bot.models(), bot.entities());
    }

    private static BotDefinition parse(String body, boolean yaml) {
        if (body == null || body.isBlank()) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "Send a bot definition as JSON or YAML");
        }
        try {
            var definition = (yaml ? YAML : JSON_STRICT).readValue(body, BotDefinition.class);
            if (definition == null) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED, "Send a bot definition as JSON or YAML");
            }
            return definition;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "Unknown field '" + unknown.getPropertyName()
                    + "'", List.of(new Problem.FieldError(path(unknown), "unknown field")));
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException mismatched) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "Wrong type at " + path(mismatched),
                    List.of(new Problem.FieldError(path(mismatched), "wrong type")));
        } catch (IOException malformed) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, (yaml ? "Malformed YAML" : "Malformed JSON")
                    + (malformed instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                            ? " at line " + p.getLocation().getLineNr() : ""));
        }
    }

    private static String path(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        var path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private BotDefinition read(String stored) {
        try {
            return json.readValue(stored, BotDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException("A stored bot is unreadable", e);
        }
    }

}
