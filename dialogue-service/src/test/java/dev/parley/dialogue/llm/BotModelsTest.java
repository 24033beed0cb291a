package dev.parley.dialogue.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.parley.common.problem.Problem.FieldError;

class BotModelsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void readsTheDocumentedYamlAndRoutesEachTask() throws Exception {
        BotModels models = YAML.readValue("""
                endpoints:
                  gpt: { provider: openai, model: gpt-4o, credential: openai-prod }
                  claude: { provider: anthropic, model: claude-sonnet-4-5, credential: anthropic-prod, timeoutMillis: 8000 }
                  llama: { provider: openai, model: llama3.1, baseUrl: "http://10.0.0.5:11434/v1" }
                tasks:
                  default: [gpt]
                  answer-generation: [claude, gpt]
                  handoff-summary: [llama]
                """, BotModels.class);

        assertEquals(List.of(), models.validate());
        assertEquals(List.of("claude", "gpt"), names(models.routeFor(Task.ANSWER_GENERATION)));
        assertEquals(List.of("llama"), names(models.routeFor(Task.HANDOFF_SUMMARY)));
        assertEquals(List.of("gpt"), names(models.routeFor(Task.INTENT_CLASSIFICATION)), "the default route");
        assertEquals("http://10.0.0.5:11434/v1", models.endpoints().get("llama").effectiveBaseUrl());
        assertEquals("https://api.anthropic.com/v1", models.endpoints().get("claude").effectiveBaseUrl());
        assertEquals(List.of(), names(BotModels.NONE.routeFor(Task.ANSWER_GENERATION)));
    }

    @Test
    void namesEveryProblemByItsField() {
        var models = new BotModels(Map.of(
                "gpt", new ModelEndpoint("openai", "gpt-4o", null, null, 50, 3.0),
                "odd", new ModelEndpoint("cohere", "command", null, "k", null, null),
                "proxy", new ModelEndpoint("mistral", " ", "ftp://proxy/v1?key=secret", null, null, null)),
                Map.of("answer-generation", List.of("gpt", "missing", "gpt"), "translation", List.of()));

        var errors = models.validate().stream().map(FieldError::field).sorted().toList();
        assertEquals(List.of(
                "models.endpoints.gpt.credential",
                "models.endpoints.gpt.temperature",
                "models.endpoints.gpt.timeoutMillis",
                "models.endpoints.odd.provider",
                "models.endpoints.proxy.baseUrl",
                "models.endpoints.proxy.model",
                "models.tasks.answer-generation[1]",
                "models.tasks.answer-generation[2]",
                "models.tasks.translation"), errors);
    }

    @Test
    void aBaseUrlMayNotCarryAKey() {
        var models = new BotModels(Map.of("proxy",
                new ModelEndpoint("openai", "gpt-4o", "https://user:secret@proxy.example/v1", null, null, null)),
                Map.of());
        assertTrue(models.validate().get(0).message().contains("credentials"));
    }

    private static List<String> names(List<BotModels.Route> route) {
        return route.stream().map(BotModels.Route::name).toList();
    }
}
