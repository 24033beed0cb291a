package dev.parley.session.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.Topics;
import dev.parley.common.events.EventTypes;
import dev.parley.common.events.UserUpdated;
import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.common.users.AttributeLimits;
import dev.parley.session.UserView;
import dev.parley.session.config.SessionConfig;
import dev.parley.session.messaging.EventPublisher;
import dev.parley.session.repository.OutboxEvent;
import dev.parley.session.repository.OutboxRepository;
import dev.parley.session.repository.SessionRepository;
import dev.parley.session.repository.Transactions;
import dev.parley.session.repository.UserRepository;

/**
 * Users and their custom attributes. Every change that alters the attributes is announced by one
 * {@code user.updated} event, written to the outbox in the same transaction as the change.
 */
@ApplicationScoped
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class);

    /** The result of a write: the user afterwards, and whether it was created by it. */
    public record Written(UserView user, boolean created) {
    }

    @Inject
    Transactions transactions;
    @Inject
    UserRepository users;
    @Inject
    OutboxRepository outbox;
    @Inject
    EventPublisher publisher;
    @Inject
    SessionConfig config;

    AttributeLimits limits() {
        var a = config.attributes();
        return new AttributeLimits(a.maxCount(), a.maxKeyLength(), a.maxValueBytes(), a.maxDepth());
    }

    public UserView get(String tenantId, String userId) throws SQLException {
        return transactions.run(connection -> users.find(connection, tenantId, userId))
                .orElseThrow(() -> notFound(userId));
    }

    /** Creates the user or replaces all its attributes. */
    public Written put(String tenantId, String userId, Map<String, Object> attributes) throws SQLException {
        Map<String, Object> replacement = attributes == null ? Map.of() : attributes;
        limits().check(replacement, false);
        return write(tenantId, userId, before -> new LinkedHashMap<>(replacement));
    }

    /** Applies a JSON merge patch (RFC 7396) to the user's attributes; creates the user when it is new. */
    public Written patch(String tenantId, String userId, Map<String, Object> patch) throws SQLException {
        Map<String, Object> changes = patch == null ? Map.of() : patch;
        limits().check(changes, true);
        return write(tenantId, userId, before -> {
            var after = mergePatch(before, changes);
            limits().check(after, false);
            return after;
        });
    }

    private Written write(String tenantId, String userId,
            java.util.function.Function<Map<String, Object>, Map<String, Object>> change) throws SQLException {
        var now = SessionRepository.now();
        var events = new ArrayList<OutboxEvent>(1);
        Written written = transactions.run(connection -> {
            users.lockShared(connection, tenantId, List.of(userId));
            var existing = users.findForUpdate(connection, tenantId, userId);
            Map<String, Object> before = existing.map(UserView::attributes).orElse(Map.of());
            Map<String, Object> after = change.apply(before);
            if (existing.isPresent() && after.equals(before)) {
                return new Written(existing.get(), false);
            }
            boolean created = users.upsert(connection, tenantId, userId, after, now);
            var changed = changedKeys(before, after);
            if (!changed.isEmpty()) {
                events.add(event(UUID.randomUUID(), tenantId, userId, after, changed, now));
                outbox.add(connection, events);
            }
            return new Written(new UserView(userId, after,
                    existing.map(UserView::createdAt).orElse(now), now), created);
        });
        publisher.publish(events);
        return written;
    }

    /**
     * Merges attributes that arrived with a message into the user, inside the caller's transaction (the user lock
     * is already held). Attributes beyond the limits are dropped with a warning: the message itself is kept.
     *
     * @return the {@code user.updated} event to add to the outbox, or null when nothing changed
     */
    public OutboxEvent mergeFromMessage(Connection connection, String tenantId, String userId, String messageId,
            Map<String, Object> attributes, Instant now) throws SQLException {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        var existing = users.findForUpdate(connection, tenantId, userId);
        Map<String, Object> before = existing.map(UserView::attributes).orElse(Map.of());
        Map<String, Object> after = mergePatch(before, attributes);
        try {
            limits().check(attributes, true);
            limits().check(after, false);
        } catch (ProblemException e) {
            LOG.warnf("Ignoring the attributes of message %s: %s", messageId, e.getMessage());
            return null;
        }
        var changed = changedKeys(before, after);
        if (changed.isEmpty()) {
            return null;
        }
        users.upsert(connection, tenantId, userId, after, now);
        return event(SessionService.eventId(EventTypes.USER_UPDATED, messageId), tenantId, userId, after, changed,
                now);
    }

    private OutboxEvent event(UUID id, String tenantId, String userId, Map<String, Object> attributes,
            List<String> changed, Instant now) {
        var payload = new UserUpdated(tenantId, userId, attributes, changed, now);
        return new OutboxEvent(id, Topics.CONVERSATION_EVENTS, userId, EventTypes.USER_UPDATED, tenantId, null,
                users.write(payload), now);
    }

    /** RFC 7396: a null removes a member, an object merges into an object, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergePatch(Map<String, Object> target, Map<String, Object> patch) {
        var result = new LinkedHashMap<String, Object>(target);
        for (var entry : patch.entrySet()) {
            Object value = entry.getValue();
            if (value == null) {
                result.remove(entry.getKey());
            } else if (value instanceof Map<?, ?> patchObject) {
                Object current = result.get(entry.getKey());
                Map<String, Object> base = current instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                result.put(entry.getKey(), mergePatch(base, (Map<String, Object>) patchObject));
            } else {
                result.put(entry.getKey(), value);
            }
        }
        return result;
    }

    static List<String> changedKeys(Map<String, Object> before, Map<String, Object> after) {
        var changed = new java.util.TreeSet<String>();
        for (var key : before.keySet()) {
            if (!after.containsKey(key) || !Objects.equals(before.get(key), after.get(key))) {
                changed.add(key);
            }
        }
        for (var key : after.keySet()) {
            if (!before.containsKey(key)) {
                changed.add(key);
            }
        }
        return List.copyOf(changed);
    }

    static ProblemException notFound(String userId) {
        return new ProblemException(ProblemCode.USER_NOT_FOUND, "No user " + userId);
    }
}
