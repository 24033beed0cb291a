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

/** The migrations ran at start and their constraints hold. */
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

    @Test
    void orderingTakesKnownValuesOnlyAndALinedDeliveryHasItsPlace() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            UUID subscription = insertSubscription(connection);
            assertEquals(1, count(connection, "SELECT count(*) FROM webhook_subscriptions WHERE id = '" + subscription
                    + "' AND ordering = 'none'"), "ordering defaults to none");
            var unknown = assertThrows(SQLException.class, () -> execute(connection,
                    "UPDATE webhook_subscriptions SET ordering = 'fifo' WHERE id = '" + subscription + "'"));
            assertEquals("23514", unknown.getSQLState()); // check_violation
            UUID delivery = insertDelivery(connection, subscription, "event-3");
            var half = assertThrows(SQLException.class, () -> execute(connection,
                    "UPDATE webhook_deliveries SET conversation_id = 'c-1' WHERE id = '" + delivery + "'"));
            assertEquals("23514", half.getSQLState(), "a conversation without a place in its line is refused");
            execute(connection, "UPDATE webhook_deliveries SET conversation_id = 'c-1', line_sequence = "
                    + "nextval('webhook_delivery_line_sequence'), next_attempt_at = NULL WHERE id = '" + delivery + "'");
            execute(connection, "DELETE FROM webhook_subscriptions WHERE id = '" + subscription + "'");
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
