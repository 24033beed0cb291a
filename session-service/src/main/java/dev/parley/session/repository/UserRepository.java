package dev.parley.session.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.session.UserView;

@ApplicationScoped
public class UserRepository {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    ObjectMapper json;

    /**
     * Takes, until the end of the transaction, a lock on each given user that an erasure of the same user waits
     * for (and that waits for a running erasure). Writers of user data take it shared, erasure exclusive, so a
     * write either commits before the erasure and is erased with the rest, or sees the erasure and drops itself.
     */
    public void lockShared(Connection connection, String tenantId, Collection<String> userIds) throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))")) {
            for (String userId : new TreeSet<>(userIds)) {
                lock.setString(1, lockKey(tenantId, userId));
                lock.executeQuery().close();
            }
        }
    }

    public void lockExclusive(Connection connection, String tenantId, String userId) throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, lockKey(tenantId, userId));
            lock.executeQuery().close();
        }
    }

    private static String lockKey(String tenantId, String userId) {
        return "user:" + tenantId.length() + ":" + tenantId + ":" + userId;
    }

    /** The user, locked for update within the caller's transaction. */
    public Optional<UserView> findForUpdate(Connection connection, String tenantId, String userId) throws SQLException {
        return find(connection, tenantId, userId, " FOR UPDATE");
    }

    public Optional<UserView> find(Connection connection, String tenantId, String userId) throws SQLException {
        return find(connection, tenantId, userId, "");
    }

    private Optional<UserView> find(Connection connection, String tenantId, String userId, String lock)
            throws SQLException {
        try (var select = connection.prepareStatement("""
                SELECT attributes::text, created_at, updated_at FROM users WHERE tenant_id = ? AND user_id = ?""" + lock)) {
            select.setString(1, tenantId);
            select.setString(2, userId);
            var row = select.executeQuery();
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new UserView(userId, parse(row.getString(1)), row.getTimestamp(2).toInstant(),
                    row.getTimestamp(3).toInstant()));
        }
    }

    /** Makes sure the user exists (a session names it); changes nothing when it does. */
    public void ensure(Connection connection, String tenantId, String userId, Instant now) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO users (tenant_id, user_id, attributes, created_at, updated_at) VALUES (?, ?, '{}'::jsonb, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            insert.setString(1, tenantId);
            insert.setString(2, userId);
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setTimestamp(4, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    /** Inserts or replaces the user's attributes. Returns true when the user is new. */
    public boolean upsert(Connection connection, String tenantId, String userId, Map<String, Object> attributes,
            Instant now) throws SQLException {
        try (var upsert = connection.prepareStatement("""
                INSERT INTO users (tenant_id, user_id, attributes, created_at, updated_at) VALUES (?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at
                RETURNING (xmax = 0)""")) {
            upsert.setString(1, tenantId);
            upsert.setString(2, userId);
            upsert.setString(3, write(attributes));
            upsert.setTimestamp(4, Timestamp.from(now));
            upsert.setTimestamp(5, Timestamp.from(now));
            var row = upsert.executeQuery();
            row.next();
            return row.getBoolean(1);
        }
    }

    public int delete(Connection connection, String tenantId, String userId) throws SQLException {
        try (var delete = connection.prepareStatement("DELETE FROM users WHERE tenant_id = ? AND user_id = ?")) {
            delete.setString(1, tenantId);
            delete.setString(2, userId);
            return delete.executeUpdate();
        }
    }

    public Map<String, Object> parse(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable", e);
        }
    }
}
