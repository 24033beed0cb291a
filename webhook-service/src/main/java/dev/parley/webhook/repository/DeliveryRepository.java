package dev.parley.webhook.repository;

import static dev.parley.webhook.repository.SubscriptionRepository.instant;
import static dev.parley.webhook.repository.SubscriptionRepository.timestamp;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.webhook.EventFilter;
import dev.parley.webhook.Subscription;

/** Events, deliveries, attempts and the outbox of webhook-service. */
@ApplicationScoped
public class DeliveryRepository {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ENDPOINT_DISABLED_TYPE = "webhook.endpoint.disabled";

    /**
     * An event read from Kafka, with the body that subscribers receive.
     *
     * @param userId         the user the event is about (from its data), or null
     * @param conversationId the conversation the event is about (its line on endpoints ordered by conversation), or
     *                       null
     */
    public record IncomingEvent(String id, String tenantId, String type, String webhookId, String body,
            Instant occurredAt, String userId, String conversationId) {
    }

    /**
     * A delivery claimed for an attempt, with what the attempt needs.
     *
     * @param conversationId not null: the delivery stands in this conversation's line of an ordered endpoint, and its
     *                       end (success or final failure) lets the next one of the line go
     */
    public record Claimed(UUID deliveryId, UUID subscriptionId, String tenantId, String eventId, String eventType,
            int attempts, String url, boolean enabled, String secretCiphertext, String previousSecretCiphertext,
            Instant previousSecretExpiresAt, Integer rateLimitPerSecond, String webhookId, String body,
            String conversationId) {

        public boolean inLine() {
            return conversationId != null;
        }
    }

    /**
     * What became of one attempt.
     *
     * @param status        the delivery's new status
     * @param nextAttemptAt when the next attempt is due (pending only)
     * @param disableReason not null: the endpoint is to be disabled for this reason
     */
    public record Outcome(Claimed delivery, Instant attemptedAt, Integer statusCode, int durationMillis,
            String responseExcerpt, String error, String status, Instant nextAttemptAt, String disableReason) {

        public boolean succeeded() {
            return SUCCEEDED.equals(status);
        }
    }

    /** @param erased the event's payload was erased with its user (docs/erasure.md) */
    public record DeliveryRow(UUID id, UUID subscriptionId, String eventId, String eventType, String webhookId,
            String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatusCode,
            String lastError, Instant createdAt, Instant completedAt, String body, boolean erased) {
    }

    public record AttemptRow(long id, Instant attemptedAt, Integer statusCode, int durationMillis,
            String responseExcerpt, String error) {
    }

    public record LogFilter(String status, String eventType, Instant since, Instant until, Instant cursorCreatedAt,
            UUID cursorId, int limit) {
    }

    /** An endpoint that was just disabled. */
    public record Disabled(UUID subscriptionId, String tenantId, String url, String reason) {
    }

    @Inject
    SubscriptionRepository subscriptions;
    @Inject
    ErasureRepository erasures;
    @Inject
    ObjectMapper json;

    /**
     * New deliveries the recorder will attempt itself, without a claim: up to {@code room} of them, to endpoints
     * {@code endpoints} accepts, not in a conversation line. They are stored already leased for {@code lease}, as a
     * claim would leave them, so they come back by themselves if the process dies before attempting them.
     */
    public record HandOff(int room, java.util.function.Predicate<UUID> endpoints, Duration lease) {

        public static final HandOff NONE = new HandOff(0, id -> false, Duration.ZERO);
    }

    /**
     * @param inserted  new deliveries
     * @param handedOff those of them stored leased, to be attempted by the caller once the transaction committed
     */
    public record Recorded(int inserted, List<Claimed> handedOff) {
    }

    /**
     * Records one delivery per event and matching enabled subscription of its tenant; a record seen before (same
     * event id) changes nothing. An event about an erased user or conversation is not stored (docs/erasure.md).
     */
    public Recorded record(Connection connection, List<IncomingEvent> events, HandOff handOff) throws SQLException {
        var tenants = events.stream().map(IncomingEvent::tenantId).distinct().sorted().toList();
        events = erasures.withoutErased(connection, tenants, events);
        var byTenant = new LinkedHashMap<String, List<Subscription>>();
        for (Subscription s : subscriptions.enabledOf(connection, tenants)) {
            byTenant.computeIfAbsent(s.tenantId(), t -> new ArrayList<>()).add(s);
        }
        var eventIds = new ArrayList<String>();
        var eventTenants = new ArrayList<String>();
        var eventTypes = new ArrayList<String>();
        var webhookIds = new ArrayList<String>();
        var bodies = new ArrayList<String>();
        var times = new ArrayList<String>();
        var users = new ArrayList<String>();
        var conversations = new ArrayList<String>();
        // One entry per delivery in each: its id, endpoint, event and conversation line (null: none).
        var deliveryIds = new ArrayList<UUID>();
        var deliveryTargets = new ArrayList<Subscription>();
        var deliverySources = new ArrayList<IncomingEvent>();
        var deliveryConversations = new ArrayList<String>();
        var lineSubscriptions = new java.util.TreeSet<UUID>();
        for (IncomingEvent event : events) {
            boolean matched = false;
            for (Subscription s : byTenant.getOrDefault(event.tenantId(), List.of())) {
                if (EventFilter.matches(s.eventTypes(), event.type())) {
                    matched = true;
                    deliveryTargets.add(s);
                    deliverySources.add(event);
                    deliveryIds.add(UUID.randomUUID());
                    boolean lined = s.orderedByConversation() && event.conversationId() != null;
                    deliveryConversations.add(lined ? event.conversationId() : null);
                    if (lined) {
                        lineSubscriptions.add(s.id());
                    }
                }
            }
            if (matched) {
                eventIds.add(event.id());
                eventTenants.add(event.tenantId());
                eventTypes.add(event.type());
                webhookIds.add(event.webhookId());
                bodies.add(event.body());
                times.add(event.occurredAt().toString());
                users.add(event.userId());
                conversations.add(event.conversationId());
            }
        }
        if (deliveryIds.isEmpty()) {
            return new Recorded(0, List.of());
        }
        var newEvents = new java.util.HashSet<String>();
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_events (id, tenant_id, event_type, webhook_id, body, occurred_at, created_at, user_id,
                                            conversation_id)
                SELECT e.id, e.tenant_id, e.event_type, e.webhook_id, e.body, e.occurred_at::timestamptz, now(), e.user_id,
                    e.conversation_id
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                    AS e(id, tenant_id, event_type, webhook_id, body, occurred_at, user_id, conversation_id)
                ON CONFLICT (id) DO NOTHING
                RETURNING id""")) {
            insert.setArray(1, connection.createArrayOf("text", eventIds.toArray()));
            insert.setArray(2, connection.createArrayOf("text", eventTenants.toArray()));
            insert.setArray(3, connection.createArrayOf("text", eventTypes.toArray()));
            insert.setArray(4, connection.createArrayOf("text", webhookIds.toArray()));
            insert.setArray(5, connection.createArrayOf("text", bodies.toArray()));
            insert.setArray(6, connection.createArrayOf("text", times.toArray()));
            insert.setArray(7, connection.createArrayOf("text", users.toArray()));
            insert.setArray(8, connection.createArrayOf("text", conversations.toArray()));
            try (var rs = insert.executeQuery()) {
                while (rs.next()) {
                    newEvents.add(rs.getString(1));
                }
            }
        }
        // Handed off: only deliveries of events stored just now (so the body in hand is the stored one), outside
        // conversation lines, within the caller's room.
        var leaseMillis = new ArrayList<Long>(deliveryIds.size());
        int room = handOff.room();
        for (int i = 0; i < deliveryIds.size(); i++) {
            boolean leased = room > 0 && deliveryConversations.get(i) == null
                    && newEvents.contains(deliverySources.get(i).id())
                    && handOff.endpoints().test(deliveryTargets.get(i).id());
            if (leased) {
                room--;
            }
            leaseMillis.add(leased ? handOff.lease().toMillis() : 0L);
        }
        if (lineSubscriptions.isEmpty()) {
            try (var insert = connection.prepareStatement("""
                    INSERT INTO webhook_deliveries
                        (id, subscription_id, tenant_id, event_id, event_type, status, attempts, next_attempt_at, created_at)
                    SELECT d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, 'pending', 0,
                        now() + d.lease_millis * interval '1 millisecond', now()
                    FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                        AS d(id, subscription_id, tenant_id, event_id, event_type, lease_millis)
                    ON CONFLICT (subscription_id, event_id) DO NOTHING
                    RETURNING id""")) {
                bindDeliveries(connection, insert, deliveryIds, deliveryTargets, deliverySources);
                insert.setArray(6, connection.createArrayOf("bigint", leaseMillis.toArray()));
                var inserted = insertedIds(insert);
                return new Recorded(inserted.size(), handedOff(inserted, deliveryIds, leaseMillis, deliveryTargets,
                        deliverySources));
            }
        }
        // Some go to endpoints ordered by conversation: they join their line at its end, parked (next_attempt_at
        // NULL), and the head of each line is then let go if nothing ahead of it is still pending. The line lock
        // makes this and the end of an attempt (which lets the next one go) take turns, so neither misses the other.
        lockLines(connection, lineSubscriptions);
        var sequences = lineSequences(connection, (int) deliveryConversations.stream().filter(c -> c != null).count());
        var deliverySequences = new ArrayList<Long>(deliveryIds.size());
        int next = 0;
        for (String conversation : deliveryConversations) {
            deliverySequences.add(conversation == null ? null : sequences[next++]);
        }
        java.util.Set<UUID> inserted;
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_deliveries
                    (id, subscription_id, tenant_id, event_id, event_type, status, attempts, next_attempt_at, created_at,
                     conversation_id, line_sequence)
                SELECT d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, 'pending', 0,
                    CASE WHEN d.conversation_id IS NULL THEN now() + d.lease_millis * interval '1 millisecond' END,
                    now(), d.conversation_id, d.line_sequence
                FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                    AS d(id, subscription_id, tenant_id, event_id, event_type, conversation_id, line_sequence,
                         lease_millis)
                ON CONFLICT (subscription_id, event_id) DO NOTHING
                RETURNING id""")) {
            bindDeliveries(connection, insert, deliveryIds, deliveryTargets, deliverySources);
            insert.setArray(6, connection.createArrayOf("text", deliveryConversations.toArray()));
            insert.setArray(7, connection.createArrayOf("bigint", deliverySequences.toArray()));
            insert.setArray(8, connection.createArrayOf("bigint", leaseMillis.toArray()));
            inserted = insertedIds(insert);
        }
        var lines = new java.util.LinkedHashSet<Map.Entry<UUID, String>>();
        for (int i = 0; i < deliveryIds.size(); i++) {
            if (deliveryConversations.get(i) != null) {
                lines.add(Map.entry(deliveryTargets.get(i).id(), deliveryConversations.get(i)));
            }
        }
        letHeadsGo(connection, lines);
        return new Recorded(inserted.size(), handedOff(inserted, deliveryIds, leaseMillis, deliveryTargets,
                deliverySources));
    }

    /** Binds the first five parameters of a delivery insert: ids, subscriptions, tenants, events and event types. */
    private static void bindDeliveries(Connection connection, java.sql.PreparedStatement insert, List<UUID> ids,
            List<Subscription> targets, List<IncomingEvent> sources) throws SQLException {
        insert.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
        insert.setArray(2, connection.createArrayOf("uuid", targets.stream().map(Subscription::id).toArray()));
        insert.setArray(3, connection.createArrayOf("text", sources.stream().map(IncomingEvent::tenantId).toArray()));
        insert.setArray(4, connection.createArrayOf("text", sources.stream().map(IncomingEvent::id).toArray()));
        insert.setArray(5, connection.createArrayOf("text", sources.stream().map(IncomingEvent::type).toArray()));
    }

    private static java.util.Set<UUID> insertedIds(java.sql.PreparedStatement insert) throws SQLException {
        var ids = new java.util.HashSet<UUID>();
        try (var rs = insert.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** The leased deliveries that were really inserted (not already there), as a claim would have returned them. */
    private static List<Claimed> handedOff(java.util.Set<UUID> inserted, List<UUID> ids, List<Long> leaseMillis,
            List<Subscription> targets, List<IncomingEvent> sources) {
        var result = new ArrayList<Claimed>();
        for (int i = 0; i < ids.size(); i++) {
            if (leaseMillis.get(i) > 0 && inserted.contains(ids.get(i))) {
                Subscription s = targets.get(i);
                IncomingEvent e = sources.get(i);
                result.add(new Claimed(ids.get(i), s.id(), e.tenantId(), e.id(), e.type(), 0, s.url(), s.enabled(),
                        s.secretCiphertext(), s.previousSecretCiphertext(), s.previousSecretExpiresAt(),
                        s.rateLimitPerSecond(), e.webhookId(), e.body(), null));
            }
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ lines

    /**
     * Takes the line lock of these endpoints until the transaction ends, in a fixed order so that two takers never
     * wait for each other. Held by whoever adds to a line and by whoever ends a delivery of one.
     */
    void lockLines(Connection connection, Collection<UUID> subscriptionIds) throws SQLException {
        var sorted = subscriptionIds.stream().map(UUID::toString).sorted().toList();
        try (var lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended('webhook-line:' || ?, 0))")) {
            for (String id : sorted) {
                lock.setString(1, id);
                lock.executeQuery().close();
            }
        }
    }

    private static long[] lineSequences(Connection connection, int count) throws SQLException {
        var result = new long[count];
        try (var query = connection.prepareStatement(
                "SELECT nextval('webhook_delivery_line_sequence') FROM generate_series(1, ?)")) {
            query.setInt(1, count);
            try (var rs = query.executeQuery()) {
                for (int i = 0; i < count && rs.next(); i++) {
                    result[i] = rs.getLong(1);
                }
            }
        }
        java.util.Arrays.sort(result);
        return result;
    }

    /** Nothing of delivery d's line with a smaller sequence is pending: d's turn has come. */
    private static final String NOTHING_AHEAD = " " + """
            NOT EXISTS (SELECT 1 FROM webhook_deliveries a
                WHERE a.subscription_id = d.subscription_id AND a.conversation_id = d.conversation_id
                    AND a.status = 'pending' AND a.line_sequence < d.line_sequence)""" + " ";

    /**
     * Makes the parked deliveries of these lines due whose turn has come (nothing ahead of them is pending any
     * more). Returns how many.
     */
    public int letHeadsGo(Connection connection, Collection<Map.Entry<UUID, String>> lines) throws SQLException {
        if (lines.isEmpty()) {
            return 0;
        }
        var subscriptionIds = new ArrayList<UUID>(lines.size());
        var conversations = new ArrayList<String>(lines.size());
        for (var line : lines) {
            subscriptionIds.add(line.getKey());
            conversations.add(line.getValue());
        }
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries d SET next_attempt_at = now()
                FROM unnest(?::uuid[], ?::text[]) AS l(subscription_id, conversation_id)
                WHERE d.subscription_id = l.subscription_id AND d.conversation_id = l.conversation_id
                    AND d.status = 'pending' AND d.next_attempt_at IS NULL AND """ + NOTHING_AHEAD)) {
            update.setArray(1, connection.createArrayOf("uuid", subscriptionIds.toArray()));
            update.setArray(2, connection.createArrayOf("text", conversations.toArray()));
            return update.executeUpdate();
        }
    }

    /**
     * The line sweep: makes every parked delivery due whose turn has come, whatever ended the one ahead of it (the
     * retention purge, a replay, an endpoint that stopped ordering). Returns how many.
     */
    public int sweepLines(Connection connection) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries d SET next_attempt_at = now()
                WHERE d.status = 'pending' AND d.conversation_id IS NOT NULL AND d.next_attempt_at IS NULL
                    AND """ + NOTHING_AHEAD)) {
            return update.executeUpdate();
        }
    }

    /**
     * The endpoint no longer orders its deliveries: its pending ones leave their lines and parked ones become due.
     */
    public int leaveLines(Connection connection, UUID subscriptionId) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries SET conversation_id = NULL, line_sequence = NULL,
                    next_attempt_at = coalesce(next_attempt_at, now())
                WHERE subscription_id = ? AND status = 'pending' AND conversation_id IS NOT NULL""")) {
            update.setObject(1, subscriptionId);
            return update.executeUpdate();
        }
    }

    /** A delivery of one event to one subscription, whatever its filters say (the test ping). */
    public UUID recordDirect(Connection connection, IncomingEvent event, UUID subscriptionId) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_events (id, tenant_id, event_type, webhook_id, body, occurred_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, now())""")) {
            insert.setString(1, event.id());
            insert.setString(2, event.tenantId());
            insert.setString(3, event.type());
            insert.setString(4, event.webhookId());
            insert.setString(5, event.body());
            insert.setTimestamp(6, Timestamp.from(event.occurredAt()));
            insert.executeUpdate();
        }
        UUID id = UUID.randomUUID();
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_deliveries
                    (id, subscription_id, tenant_id, event_id, event_type, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', 0, now(), now())""")) {
            insert.setObject(1, id);
            insert.setObject(2, subscriptionId);
            insert.setString(3, event.tenantId());
            insert.setString(4, event.id());
            insert.setString(5, event.type());
            insert.executeUpdate();
        }
        return id;
    }

    /**
     * Claims due deliveries for this replica: their next attempt moves a lease ahead, so nobody else takes them
     * while the attempt runs, and they come back by themselves if this replica dies. {@code SKIP LOCKED} lets
     * replicas claim side by side without waiting for each other. A delivery in a line (an endpoint ordered by
     * conversation) is claimable only when nothing ahead of it in its line is pending; deliveries of other endpoints
     * skip that check.
     */
    public List<Claimed> claim(Connection connection, int limit, Collection<UUID> excludedSubscriptions, Duration lease)
            throws SQLException {
        try (var claim = connection.prepareStatement("""
                WITH due AS (
                    SELECT d.id FROM webhook_deliveries d
                    WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND d.subscription_id <> ALL (?::uuid[])
                        AND (d.conversation_id IS NULL OR """ + NOTHING_AHEAD + """
                        )
                    ORDER BY d.next_attempt_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                UPDATE webhook_deliveries d SET next_attempt_at = now() + ? * interval '1 millisecond'
                FROM due, webhook_subscriptions s, webhook_events e
                WHERE d.id = due.id AND s.id = d.subscription_id AND e.id = d.event_id
                RETURNING d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, d.attempts, s.url, s.enabled,
                    s.secret_ciphertext, s.previous_secret_ciphertext, s.previous_secret_expires_at,
                    s.rate_limit_per_second, e.webhook_id, e.body, d.conversation_id""")) {
            claim.setArray(1, connection.createArrayOf("uuid", excludedSubscriptions.toArray()));
            claim.setInt(2, limit);
            claim.setLong(3, lease.toMillis());
            try (var rs = claim.executeQuery()) {
                var claimed = new ArrayList<Claimed>();
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getBoolean(8),
                            rs.getString(9), rs.getString(10), instant(rs, "previous_secret_expires_at"),
                            (Integer) rs.getObject(12), rs.getString(13), rs.getString(14), rs.getString(15)));
                }
                return claimed;
            }
        }
    }

    /** Gives claimed deliveries back, due at the given time, without counting an attempt (circuit open, shutdown). */
    public void release(Connection connection, Collection<UUID> deliveryIds, Instant dueAt) throws SQLException {
        try (var update = connection.prepareStatement(
                "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ANY (?::uuid[]) AND status = 'pending'")) {
            update.setTimestamp(1, Timestamp.from(dueAt));
            update.setArray(2, connection.createArrayOf("uuid", deliveryIds.toArray()));
            update.executeUpdate();
        }
    }

    /**
     * Stores the outcomes of attempts: the attempt log, the deliveries' new state, the endpoints' failure streaks,
     * and disables endpoints that answered 410 or have failed for longer than {@code disableAfter}.
     */
    public List<Disabled> complete(Connection connection, List<Outcome> outcomes, Duration disableAfter)
            throws SQLException {
        // A delivery that ends (succeeded or finally failed) lets the next one of its line go: under the line lock,
        // so that deliveries the consumer adds to the line at the same moment are seen (see record).
        var endedLines = new java.util.LinkedHashSet<Map.Entry<UUID, String>>();
        for (Outcome o : outcomes) {
            if (o.delivery().inLine() && !PENDING.equals(o.status())) {
                endedLines.add(Map.entry(o.delivery().subscriptionId(), o.delivery().conversationId()));
            }
        }
        if (!endedLines.isEmpty()) {
            lockLines(connection, endedLines.stream().map(Map.Entry::getKey).distinct().toList());
        }
        try (var attempt = connection.prepareStatement("""
                INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, response_excerpt, error)
                VALUES (?, ?, ?, ?, ?, ?)""");
                var delivery = connection.prepareStatement("""
                        UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_attempt_at = ?,
                            last_status_code = ?, last_error = ?, completed_at = ?
                        WHERE id = ? AND status = 'pending'""")) {
            for (Outcome o : outcomes) {
                attempt.setObject(1, o.delivery().deliveryId());
                attempt.setTimestamp(2, Timestamp.from(o.attemptedAt()));
                attempt.setObject(3, o.statusCode(), Types.INTEGER);
                attempt.setInt(4, o.durationMillis());
                attempt.setString(5, o.responseExcerpt());
                attempt.setString(6, o.error());
                attempt.addBatch();
                delivery.setString(1, o.status());
                delivery.setInt(2, o.delivery().attempts() + 1);
                delivery.setTimestamp(3, timestamp(o.nextAttemptAt()));
                delivery.setTimestamp(4, Timestamp.from(o.attemptedAt()));
                delivery.setObject(5, o.statusCode(), Types.INTEGER);
                delivery.setString(6, o.error());
                delivery.setTimestamp(7, PENDING.equals(o.status()) ? null : Timestamp.from(o.attemptedAt()));
                delivery.setObject(8, o.delivery().deliveryId());
                delivery.addBatch();
            }
            attempt.executeBatch();
            delivery.executeBatch();
        }
        // An attempt that was under way while its event was erased: the receiver's answer may quote the payload.
        try (var blank = connection.prepareStatement("""
                UPDATE webhook_attempts a SET response_excerpt = NULL
                FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE a.delivery_id = d.id AND d.id = ANY (?::uuid[]) AND e.erased_at IS NOT NULL
                  AND a.response_excerpt IS NOT NULL""")) {
            blank.setArray(1, connection.createArrayOf("uuid",
                    outcomes.stream().map(o -> o.delivery().deliveryId()).toArray()));
            blank.executeUpdate();
        }
        letHeadsGo(connection, endedLines);
        // The latest outcome per endpoint decides its failure streak.
        var latest = new LinkedHashMap<UUID, Outcome>();
        for (Outcome o : outcomes) {
            latest.merge(o.delivery().subscriptionId(), o,
                    (a, b) -> b.attemptedAt().isBefore(a.attemptedAt()) ? a : b);
        }
        var healthy = new ArrayList<UUID>();
        var failing = new ArrayList<UUID>();
        var disabled = new ArrayList<Disabled>();
        for (var entry : latest.entrySet()) {
            (entry.getValue().succeeded() ? healthy : failing).add(entry.getKey());
        }
        if (!healthy.isEmpty()) {
            try (var update = connection.prepareStatement("""
                    UPDATE webhook_subscriptions SET failing_since = NULL
                    WHERE id = ANY (?::uuid[]) AND failing_since IS NOT NULL""")) {
                update.setArray(1, connection.createArrayOf("uuid", healthy.toArray()));
                update.executeUpdate();
            }
        }
        if (!failing.isEmpty()) {
            try (var update = connection.prepareStatement("""
                    UPDATE webhook_subscriptions SET failing_since = now()
                    WHERE id = ANY (?::uuid[]) AND failing_since IS NULL""")) {
                update.setArray(1, connection.createArrayOf("uuid", failing.toArray()));
                update.executeUpdate();
            }
            try (var stale = connection.prepareStatement("""
                    SELECT id, tenant_id FROM webhook_subscriptions
                    WHERE id = ANY (?::uuid[]) AND enabled AND failing_since < now() - ? * interval '1 millisecond'""")) {
                stale.setArray(1, connection.createArrayOf("uuid", failing.toArray()));
                stale.setLong(2, disableAfter.toMillis());
                var toDisable = new ArrayList<Map.Entry<UUID, String>>();
                try (var rs = stale.executeQuery()) {
                    while (rs.next()) {
                        toDisable.add(Map.entry(rs.getObject(1, UUID.class), rs.getString(2)));
                    }
                }
                for (var entry : toDisable) {
                    disable(connection, entry.getValue(), entry.getKey(),
                            "failing without a success for more than " + disableAfter.toDays() + " days")
                            .ifPresent(disabled::add);
                }
            }
        }
        for (Outcome o : outcomes) {
            if (o.disableReason() != null) {
                disable(connection, o.delivery().tenantId(), o.delivery().subscriptionId(), o.disableReason())
                        .ifPresent(disabled::add);
            }
        }
        return disabled;
    }

    /**
     * Disables an enabled endpoint, fails its pending deliveries (recover them once it is fixed) and writes the
     * {@code webhook.endpoint.disabled} event to the outbox, all in the caller's transaction.
     */
    public Optional<Disabled> disable(Connection connection, String tenantId, UUID subscriptionId, String reason)
            throws SQLException {
        String url;
        Instant at;
        try (var update = connection.prepareStatement("""
                UPDATE webhook_subscriptions SET enabled = false, disabled_reason = ?, disabled_at = now(), updated_at = now()
                WHERE tenant_id = ? AND id = ? AND enabled RETURNING url, disabled_at""")) {
            update.setString(1, reason);
            update.setString(2, tenantId);
            update.setObject(3, subscriptionId);
            try (var rs = update.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                url = rs.getString(1);
                at = rs.getTimestamp(2).toInstant();
            }
        }
        failPending(connection, subscriptionId, "endpoint disabled: " + reason);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("tenantId", tenantId);
        payload.put("subscriptionId", subscriptionId.toString());
        payload.put("url", url);
        payload.put("reason", reason);
        payload.put("disabledAt", at.toString());
        try (var insert = connection.prepareStatement("""
                INSERT INTO webhook_outbox (id, tenant_id, event_type, record_key, payload, created_at)
                VALUES (?, ?, ?, ?, ?, now())""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, tenantId);
            insert.setString(3, ENDPOINT_DISABLED_TYPE);
            insert.setString(4, subscriptionId.toString());
            insert.setString(5, json.writeValueAsString(payload));
            insert.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(new Disabled(subscriptionId, tenantId, url, reason));
    }

    public int failPending(Connection connection, UUID subscriptionId, String reason) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = ?, completed_at = now()
                WHERE subscription_id = ? AND status = 'pending'""")) {
            update.setString(1, reason);
            update.setObject(2, subscriptionId);
            return update.executeUpdate();
        }
    }

    // ------------------------------------------------------------------------------------------------ delivery log

    /** A delivery sent again keeps its place in its line only if its endpoint (s) still orders by conversation. */
    private static final String STAY_IN_LINE = """
            conversation_id = CASE WHEN s.ordering = 'conversation' THEN d.conversation_id END,
            line_sequence = CASE WHEN s.ordering = 'conversation' THEN d.line_sequence END
            """;

    static final String DELIVERY_COLUMNS = """
            d.id, d.subscription_id, d.event_id, d.event_type, e.webhook_id, d.status, d.attempts, d.next_attempt_at,
            d.last_attempt_at, d.last_status_code, d.last_error, d.created_at, d.completed_at,
            e.erased_at IS NOT NULL AS erased""";

    public List<DeliveryRow> list(Connection connection, UUID subscriptionId, LogFilter filter) throws SQLException {
        var sql = new StringBuilder("SELECT " + DELIVERY_COLUMNS + ", NULL AS body FROM webhook_deliveries d"
                + " JOIN webhook_events e ON e.id = d.event_id WHERE d.subscription_id = ?");
        var params = new ArrayList<Object>();
        params.add(subscriptionId);
        if (filter.status() != null) {
            sql.append(" AND d.status = ?");
            params.add(filter.status());
        }
        if (filter.eventType() != null) {
            sql.append(" AND d.event_type = ?");
            params.add(filter.eventType());
        }
        if (filter.since() != null) {
            sql.append(" AND d.created_at >= ?");
            params.add(Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" AND d.created_at < ?");
            params.add(Timestamp.from(filter.until()));
        }
        if (filter.cursorCreatedAt() != null) {
            sql.append(" AND (d.created_at, d.id) < (?, ?)");
            params.add(Timestamp.from(filter.cursorCreatedAt()));
            params.add(filter.cursorId());
        }
        sql.append(" ORDER BY d.created_at DESC, d.id DESC LIMIT ?");
        params.add(filter.limit());
        try (var query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                query.setObject(i + 1, params.get(i));
            }
            return readDeliveries(query.executeQuery());
        }
    }

    public Optional<DeliveryRow> find(Connection connection, UUID subscriptionId, UUID deliveryId) throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + DELIVERY_COLUMNS + ", e.body FROM webhook_deliveries d"
                + " JOIN webhook_events e ON e.id = d.event_id WHERE d.subscription_id = ? AND d.id = ?")) {
            query.setObject(1, subscriptionId);
            query.setObject(2, deliveryId);
            return readDeliveries(query.executeQuery()).stream().findFirst();
        }
    }

    public List<AttemptRow> attempts(Connection connection, UUID deliveryId) throws SQLException {
        try (var query = connection.prepareStatement("""
                SELECT id, attempted_at, status_code, duration_ms, response_excerpt, error FROM webhook_attempts
                WHERE delivery_id = ? ORDER BY attempted_at, id""")) {
            query.setObject(1, deliveryId);
            try (var rs = query.executeQuery()) {
                var result = new ArrayList<AttemptRow>();
                while (rs.next()) {
                    result.add(new AttemptRow(rs.getLong(1), rs.getTimestamp(2).toInstant(), (Integer) rs.getObject(3),
                            rs.getInt(4), rs.getString(5), rs.getString(6)));
                }
                return result;
            }
        }
    }

    /**
     * Makes a delivery due now with a fresh retry schedule. On an endpoint ordered by conversation it takes its old
     * place in its line: what is behind it and not yet sent waits for it again.
     */
    public void replay(Connection connection, UUID deliveryId) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now(), completed_at = NULL,
                    """ + STAY_IN_LINE + """
                FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND d.id = ?""")) {
            update.setObject(1, deliveryId);
            update.executeUpdate();
        }
    }

    /**
     * Makes every failed delivery of the endpoint created since then due now again; those purged stay failed. On an
     * endpoint ordered by conversation they go one after the other per conversation, in their old order.
     */
    public int recover(Connection connection, UUID subscriptionId, Instant since) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now(), completed_at = NULL,
                    """ + STAY_IN_LINE + """
                FROM webhook_events e, webhook_subscriptions s
                WHERE e.id = d.event_id AND e.body IS NOT NULL AND s.id = d.subscription_id
                    AND d.subscription_id = ? AND d.status = 'failed' AND d.created_at >= ?""")) {
            update.setObject(1, subscriptionId);
            update.setTimestamp(2, Timestamp.from(since));
            return update.executeUpdate();
        }
    }

    /** Purges event bodies and response excerpts older than the cutoff; returns the number of bodies purged. */
    public int purge(Connection connection, Instant cutoff, int limit) throws SQLException {
        int purged;
        try (var update = connection.prepareStatement("""
                UPDATE webhook_events SET body = NULL WHERE id IN (
                    SELECT id FROM webhook_events WHERE body IS NOT NULL AND created_at < ? LIMIT ?)""")) {
            update.setTimestamp(1, Timestamp.from(cutoff));
            update.setInt(2, limit);
            purged = update.executeUpdate();
        }
        try (var update = connection.prepareStatement("""
                UPDATE webhook_deliveries d SET status = 'failed', next_attempt_at = NULL,
                    last_error = 'payload purged by the retention policy', completed_at = now()
                FROM webhook_events e WHERE e.id = d.event_id AND e.body IS NULL AND d.status = 'pending'""")) {
            update.executeUpdate();
        }
        try (var update = connection.prepareStatement("""
                UPDATE webhook_attempts SET response_excerpt = NULL
                WHERE attempted_at < ? AND response_excerpt IS NOT NULL""")) {
            update.setTimestamp(1, Timestamp.from(cutoff));
            update.executeUpdate();
        }
        return purged;
    }

    private static List<DeliveryRow> readDeliveries(ResultSet rs) throws SQLException {
        try (rs) {
            var result = new ArrayList<DeliveryRow>();
            while (rs.next()) {
                result.add(new DeliveryRow(rs.getObject("id", UUID.class), rs.getObject("subscription_id", UUID.class),
                        rs.getString("event_id"), rs.getString("event_type"), rs.getString("webhook_id"),
                        rs.getString("status"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                        instant(rs, "last_attempt_at"), (Integer) rs.getObject("last_status_code"),
                        rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "completed_at"),
                        rs.getString("body"), rs.getBoolean("erased")));
            }
            return result;
        }
    }
}
