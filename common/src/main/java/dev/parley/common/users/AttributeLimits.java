package dev.parley.common.users;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.problem.Problem;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;

/**
 * Limits on a user's custom attributes: typed JSON values (string, number, boolean, array, object; null means
 * "remove" in a patch) under short names. The gateway checks attributes sent with a message against the defaults;
 * session-service checks every change against its configured limits.
 *
 * @param maxCount      most attributes one user may hold
 * @param maxKeyLength  longest attribute name
 * @param maxValueBytes largest value, in bytes of its JSON form
 * @param maxDepth      deepest nesting of arrays and objects inside one value (a scalar is depth 0)
 */
public record AttributeLimits(int maxCount, int maxKeyLength, int maxValueBytes, int maxDepth) {

    public static final AttributeLimits DEFAULTS = new AttributeLimits(100, 64, 2048, 3);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks the given attributes (a whole set, or the changes of a patch when {@code nullsAllowed}) and throws a
     * 400 problem listing every offending attribute.
     */
    public void check(Map<String, Object> attributes, boolean nullsAllowed) {
        if (attributes == null) {
            return;
        }
        var errors = new ArrayList<Problem.FieldError>();
        if (attributes.size() > maxCount) {
            errors.add(new Problem.FieldError("attributes", "at most " + maxCount + " attributes"));
        }
        for (var entry : attributes.entrySet()) {
            String key = entry.getKey();
            String field = "attributes." + key;
            if (key.isEmpty() || key.length() > maxKeyLength) {
                errors.add(new Problem.FieldError(field, "name must be 1 to " + maxKeyLength + " characters"));
                continue;
            }
            if (!NAME.matcher(key).matches()) {
                errors.add(new Problem.FieldError(field, "name may contain only letters, digits and _ . : -"));
                continue;
            }
            Object value = entry.getValue();
            if (value == null) {
                if (!nullsAllowed) {
                    errors.add(new Problem.FieldError(field, "must not be null"));
                }
                continue;
            }
            if (depth(value) > maxDepth) {
                errors.add(new Problem.FieldError(field, "nested deeper than " + maxDepth + " levels"));
                continue;
            }
            if (bytes(value) > maxValueBytes) {
                errors.add(new Problem.FieldError(field, "value larger than " + maxValueBytes + " bytes"));
            }
        }
        fail(errors);
    }

    /** Checks the size of a user's whole attribute set after a change. */
    public void checkTotal(Map<String, Object> attributes) {
        if (attributes.size() > maxCount) {
            fail(List.of(new Problem.FieldError("attributes", "a user may hold at most " + maxCount
                    + " attributes; this change would leave " + attributes.size())));
        }
    }

    private static void fail(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " attributes are invalid";
            throw new AttributeProblem(detail, errors);
        }
    }

    static int depth(Object value) {
        if (value instanceof Map<?, ?> map) {
            int deepest = 0;
            for (Object child : map.values()) {
                deepest = Math.max(deepest, depth(child));
            }
            return 1 + deepest;
        }
        if (value instanceof List<?> list) {
            int deepest = 0;
            for (Object child : list) {
                deepest = Math.max(deepest, depth(child));
            }
            return 1 + deepest;
        }
        return 0;
    }

    private static int bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** A validation problem that carries the offending attributes. */
    public static final class AttributeProblem extends ProblemException {
        private final List<Problem.FieldError> errors;

        AttributeProblem(String detail, List<Problem.FieldError> errors) {
            super(ProblemCode.VALIDATION_FAILED, detail);
            this.errors = List.copyOf(errors);
        }

        public List<Problem.FieldError> errors() {
            return errors;
        }
    }
}
