package dev.parley.gateway.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.common.users.AttributeLimits;
import dev.parley.gateway.client.Backends;
import dev.parley.gateway.client.ExportStreams;
import dev.parley.gateway.client.UserBackend;
import dev.parley.gateway.security.Caller;

/**
 * Users, their attributes, data access and erasure, the conversation lifecycle and analytics, always within the
 * caller's tenant (taken from the credential, never from the request).
 */
@ApplicationScoped
public class UserService {

    public static final String USERS_MANAGE = "users:manage";
    public static final String CONVERSATIONS_READ = "conversations:read";
    public static final String CONVERSATIONS_WRITE = "conversations:write";
    /** Analytics cover every conversation of the tenant: a read of conversations. */
    public static final String ANALYTICS_READ = CONVERSATIONS_READ;

    @Inject
    UserBackend backend;
    @Inject
    ExportStreams streams;
    @Inject
    Backends backends;

    public Map<String, Object> get(Caller caller, String userId) {
        require(caller, USERS_MANAGE);
        return backend.user(caller.tenantId(), userId);
    }

    public UserBackend.Written put(Caller caller, String userId, Map<String, Object> attributes) {
        require(caller, USERS_MANAGE);
        AttributeLimits.DEFAULTS.check(attributes, false);
        return backend.putUser(caller.tenantId(), userId, attributes == null ? Map.of() : attributes);
    }

    public Map<String, Object> patch(Caller caller, String userId, Map<String, Object> attributes) {
        require(caller, USERS_MANAGE);
        AttributeLimits.DEFAULTS.check(attributes, true);
        return backend.patchUser(caller.tenantId(), userId, attributes == null ? Map.of() : attributes);
    }

    public Map<String, Object> erase(Caller caller, String userId) {
        require(caller, USERS_MANAGE);
        var erasure = backend.erase(caller.tenantId(), userId);
        // This replica forgets the user's sessions at once; the others when the user.erased command reaches them.
        backends.forgetUser(caller.tenantId(), userId);
        return erasure;
    }

    public Map<String, Object> erasure(Caller caller, String userId, String erasureId) {
        require(caller, USERS_MANAGE);
        return backend.erasure(caller.tenantId(), userId, erasureId);
    }

    public ExportStreams.Stream export(Caller caller, String userId) {
        require(caller, USERS_MANAGE);
        return streams.open(caller.tenantId(), "/users/" + ExportStreamsPaths.segment(userId) + "/export", Map.of());
    }

    public Map<String, Object> conversations(Caller caller, String userId, String status, String botId, String from,
            String to, String cursor, int limit) {
        require(caller, CONVERSATIONS_READ);
        return backend.conversations(caller.tenantId(), userId, status, botId, from, to, cursor, limit);
    }

    public Map<String, Object> close(Caller caller, String conversationId, String outcome) {
        require(caller, CONVERSATIONS_WRITE);
        return backend.close(caller.tenantId(), conversationId, outcome);
    }

    public Map<String, Object> reopen(Caller caller, String conversationId) {
        require(caller, CONVERSATIONS_WRITE);
        return backend.reopen(caller.tenantId(), conversationId);
    }

    public ExportStreams.Stream analytics(Caller caller, String dataset, String from, String to, String format) {
        require(caller, ANALYTICS_READ);
        if (!dataset.equals("messages") && !dataset.equals("conversations")) {
            throw new ProblemException(ProblemCode.NOT_FOUND, "No analytics export " + dataset);
        }
        var query = new java.util.LinkedHashMap<String, String>();
        query.put("from", from);
        query.put("to", to);
        query.put("format", format);
        return streams.open(caller.tenantId(), "/analytics/" + dataset, query);
    }

    public Map<String, Object> summary(Caller caller, String from, String to) {
        require(caller, ANALYTICS_READ);
        return backend.summary(caller.tenantId(), from, to);
    }

    public Map<String, Object> retention(Caller caller) {
        require(caller, Caller.ADMIN);
        return backend.retention(caller.tenantId());
    }

    public Map<String, Object> setRetention(Caller caller, Integer days) {
        require(caller, Caller.ADMIN);
        return backend.setRetention(caller.tenantId(), days);
    }

    static void require(Caller caller, String scope) {
        if (!caller.may(scope)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + scope);
        }
    }

    /** Encoding of a caller-supplied path segment. */
    static final class ExportStreamsPaths {
        static String segment(String value) {
            return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
