package dev.parley.dialogue.llm;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.parley.common.problem.Problem.FieldError;

/**
 * The {@code models} section of a bot definition: the model endpoints the bot may use, and for each task the order
 * in which to try them. The local engine always comes last, so a bot answers even when every provider is down.
 *
 * <pre>
 * models:
 *   endpoints:
 *     gpt: { provider: openai, model: gpt-4o, credential: openai-prod }
 *     claude: { provider: anthropic, model: claude-sonnet-4-5, credential: anthropic-prod, timeoutMillis: 8000 }
 *   tasks:
 *     default: [gpt]
 *     answer-generation: [claude, gpt]
 * </pre>
 *
 * @param endpoints named model endpoints
 * @param tasks     for {@code default} and each {@link Task}, the endpoint names in the order to try them
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BotModels(Map<String, ModelEndpoint> endpoints, Map<String, List<String>> tasks) {

    public static final String DEFAULT_ROUTE = "default";
    public static final BotModels NONE = new BotModels(Map.of(), Map.of());

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MIN_TIMEOUT_MILLIS = 100;
    static final int MAX_TIMEOUT_MILLIS = 120_000;

    public BotModels {
        endpoints = endpoints == null ? Map.of() : new LinkedHashMap<>(endpoints);
        tasks = tasks == null ? Map.of() : new LinkedHashMap<>(tasks);
    }

    /** One step of a route: the endpoint's name in the definition and the endpoint. */
    public record Route(String name, ModelEndpoint endpoint) {
    }

    /**
     * The endpoints to try for a task, in order: the task's own list, else the {@code default} list, else none
     * (then only the local engine answers). Only valid after {@link #validate()} found no error.
     */
    public List<Route> routeFor(Task task) {
        List<String> names = tasks.get(task.wire());
        if (names == null) {
            names = tasks.getOrDefault(DEFAULT_ROUTE, List.of());
        }
        var route = new ArrayList<Route>();
        for (String name : names) {
            route.add(new Route(name, endpoints.get(name)));
        }
        return route;
    }

    /** Every problem of this section, with the field path under {@code models}; empty when it is usable. */
    public List<FieldError> validate() {
        var errors = new ArrayList<FieldError>();
        endpoints.forEach((name, endpoint) -> validateEndpoint("models.endpoints." + name, name, endpoint, errors));
        tasks.forEach((task, names) -> {
            String field = "models.tasks." + task;
            if (!DEFAULT_ROUTE.equals(task) && Task.find(task).isEmpty()) {
                errors.add(new FieldError(field, "unknown task; use default, intent-classification, "
                        + "answer-generation or handoff-summary"));
            }
            if (names == null) {
                errors.add(new FieldError(field, "must be a list of endpoint names"));
                return;
            }
            var seen = new HashSet<String>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!endpoints.containsKey(name)) {
                    errors.add(new FieldError(field + "[" + i + "]", "no endpoint named " + name));
                } else if (!seen.add(name)) {
                    errors.add(new FieldError(field + "[" + i + "]", "endpoint " + name + " is listed twice"));
                }
            }
        });
        return errors;
    }

    private static void validateEndpoint(String field, String name, ModelEndpoint endpoint, List<FieldError> errors) {
        if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(field, "endpoint names are 1-64 letters, digits, '.', '_' or '-'"));
        }
        if (endpoint == null) {
            errors.add(new FieldError(field, "must be an object"));
            return;
        }
        var kind = ProviderKind.find(endpoint.provider());
        if (kind.isEmpty()) {
            errors.add(new FieldError(field + ".provider", "must be one of local, openai, anthropic, gemini, mistral"));
            return;
        }
        if (!kind.get().remote()) {
            return;
        }
        if (endpoint.model() == null || endpoint.model().isBlank()) {
            errors.add(new FieldError(field + ".model", "is required"));
        } else if (endpoint.model().length() > 200 || endpoint.model().contains("/..") || endpoint.model().contains("?")) {
            errors.add(new FieldError(field + ".model", "is not a model name"));
        }
        boolean hosted = endpoint.baseUrl() == null || endpoint.baseUrl().isBlank();
        if (!hosted) {
            validateBaseUrl(field + ".baseUrl", endpoint.baseUrl().trim(), errors);
        }
        if (endpoint.credential() != null && !NAME.matcher(endpoint.credential()).matches()) {
            errors.add(new FieldError(field + ".credential", "credential names are 1-64 letters, digits, '.', '_' or '-'"));
        } else if (endpoint.credential() == null && hosted) {
            errors.add(new FieldError(field + ".credential",
                    "is required for the provider's public API; name a key stored for the tenant"));
        }
        if (endpoint.timeoutMillis() != null && (endpoint.timeoutMillis() < MIN_TIMEOUT_MILLIS
                || endpoint.timeoutMillis() > MAX_TIMEOUT_MILLIS)) {
            errors.add(new FieldError(field + ".timeoutMillis",
                    "must be between " + MIN_TIMEOUT_MILLIS + " and " + MAX_TIMEOUT_MILLIS));
        }
        if (endpoint.temperature() != null && (endpoint.temperature() < 0 || endpoint.temperature() > 2)) {
            errors.add(new FieldError(field + ".temperature", "must be between 0 and 2"));
        }
    }

    private static void validateBaseUrl(String field, String url, List<FieldError> errors) {
        try {
            URI uri = URI.create(url);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!web || uri.getHost() == null) {
                errors.add(new FieldError(field, "must be an absolute http or https URL"));
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                errors.add(new FieldError(field, "must not carry credentials, a query or a fragment; "
                        + "store keys with the provider credentials API"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be an absolute http or https URL"));
        }
    }
}
