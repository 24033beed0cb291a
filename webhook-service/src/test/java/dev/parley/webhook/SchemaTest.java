package dev.parley.webhook;

import static dev.parley.testsupport.Sql.count;
import static dev.parley.testsupport.Sql.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The V1 migration ran at start and its constraints hold. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook"))
class SchemaTest {

    @Inject
    DataSource dataSource;

    @Test
    void anEventIsDeliveredToASubscriptionAtMostOnce() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            UUID subscription = insertSubscription(connection);
            UUID other = insertSubscription(connection);
            insertDelivery(connection, subscription, "event-1");
            insertDelivery(connection, other, "event-1");
            var e = assertThrows(SQLException.class, () -> insertDelivery(connection, subscription, "event-1"));
            assertEquals("23505", e.getSQLState()); // unique_violation
        }
    }

    @Test
    void deliveriesAndAttemptsGoWithTheirSubscription() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            UUID subscription = insertSubscription(connection);
            UUID delivery = insertDelivery(connection, subscription, "event-2");
            long first = insertAttempt(connection, delivery, 503, null);
            long second = insertAttempt(connection, delivery, null, "connect timed out");
            assertEquals(true, second > first, "attempt ids grow");

            execute(connection, "DELETE FROM webhook_subscriptions WHERE id = '" + subscription + "'");
            assertEquals(0, count(connection, "SELECT count(*) FROM webhook_deliveries WHERE id = '" + delivery + "'"));
            assertEquals(0, count(connection, "SELECT count(*) FROM webhook_attempts WHERE delivery_id = '" + delivery + "'"));
        }
    }

    private static UUID insertSubscription(Connection connection) throws SQLException {
        UUID id = UUID.randomUUID();
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_subscriptions
                    (id, tenant_id, url, event_types, description, secret_ciphertext, enabled, created_at, updated_at)
                VALUES (?, 'tenant-a', 'http://127.0.0.1:9/hook', ?, NULL, 'ciphertext', true, now(), now())""")) {
            insert.setObject(1, id);
            insert.setArray(2, connection.createArrayOf("text", new String[] { "message.sent" }));
            insert.executeUpdate();
        }
        return id;
    }

    private static UUID insertDelivery(Connection connection, UUID subscription, String eventId) throws SQLException {
        try (var event = connection.prepareStatement("""
                INSERT INTO webhook_events (id, tenant_id, event_type, webhook_id, body, occurred_at, created_at)
                VALUES (?, 'tenant-a', 'message.sent', 'msg_1', '{}', now(), now()) ON CONFLICT DO NOTHING""")) {
            event.setString(1, eventId);
            event.executeUpdate();
        }
        UUID id = UUID.randomUUID();
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_deliveries
                    (id, subscription_id, tenant_id, event_id, event_type, status, next_attempt_at, created_at)
                VALUES (?, ?, 'tenant-a', ?, 'message.sent', 'pending', now(), now())""")) {
            insert.setObject(1, id);
            insert.setObject(2, subscription);
            insert.setString(3, eventId);
            insert.executeUpdate();
        }
        return id;
    }

    private static long insertAttempt(Connection connection, UUID delivery, Integer statusCode, String error)
            throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, response_excerpt, error)
                VALUES (?, now(), ?, 120, NULL, ?) RETURNING id""")) {
            insert.setObject(1, delivery);
            insert.setObject(2, statusCode, java.sql.Types.INTEGER);
            insert.setString(3, error);
            try (var result = insert.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
