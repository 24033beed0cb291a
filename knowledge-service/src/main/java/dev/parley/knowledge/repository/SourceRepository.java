package dev.parley.knowledge.repository;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.parley.knowledge.UrlSource;

/** URL sources, in plain SQL; every method runs in the caller's transaction. */
@ApplicationScoped
public class SourceRepository {

    private static final String COLUMNS = """
            id, tenant_id, bot_id, url, kind, title, tags, status, failure_reason, document_count, created_at,
            updated_at, crawled_at""";

    public void insert(Connection connection, UrlSource s) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO knowledge_sources (id, tenant_id, bot_id, url, kind, title, tags, status, document_count,
                    created_at, updated_at, crawled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, s.id());
            insert.setString(2, s.tenantId());
            insert.setString(3, s.botId());
            insert.setString(4, s.url());
            insert.setString(5, s.kind());
            insert.setString(6, s.title());
            insert.setArray(7, connection.createArrayOf("text", s.tags().toArray()));
            insert.setString(8, s.status());
            insert.setInt(9, s.documentCount());
            insert.setTimestamp(10, Timestamp.from(s.createdAt()));
            insert.setTimestamp(11, Timestamp.from(s.updatedAt()));
            insert.setTimestamp(12, s.crawledAt() == null ? null : Timestamp.from(s.crawledAt()));
            insert.executeUpdate();
        }
    }

    public Optional<UrlSource> find(Connection connection, String tenantId, UUID id) throws SQLException {
        try (var select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM knowledge_sources WHERE id = ? AND tenant_id = ?")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var rows = select.executeQuery();
            return rows.next() ? Optional.of(source(rows)) : Optional.empty();
        }
    }

    /**
     * Takes up to {@code limit} pending sources for this replica until {@code leaseUntil}: another replica skips them
     * meanwhile, and takes them over once the lease has run out (a crawl that crashed).
     */
    public List<UrlSource> claimPending(Connection connection, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        try (var claim = connection.prepareStatement("""
                UPDATE knowledge_sources SET lease_until = ? WHERE id IN (
                    SELECT id FROM knowledge_sources WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < ?)
                    ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING""" + " " + COLUMNS)) {
            claim.setTimestamp(1, Timestamp.from(leaseUntil));
            claim.setTimestamp(2, Timestamp.from(now));
            claim.setInt(3, limit);
            var rows = claim.executeQuery();
            var sources = new ArrayList<UrlSource>();
            while (rows.next()) {
                sources.add(source(rows));
            }
            return sources;
        }
    }

    public void markCrawled(Connection connection, UUID id, int documentCount, Instant now) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_sources SET status = 'crawled', failure_reason = NULL, document_count = ?,
                    lease_until = NULL, updated_at = ?, crawled_at = ? WHERE id = ?""")) {
            update.setInt(1, documentCount);
            update.setTimestamp(2, Timestamp.from(now));
            update.setTimestamp(3, Timestamp.from(now));
            update.setObject(4, id);
            update.executeUpdate();
        }
    }

    public void markFailed(Connection connection, UUID id, String reason, Instant now) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_sources SET status = 'failed', failure_reason = ?, lease_until = NULL, updated_at = ?,
                    crawled_at = ? WHERE id = ?""")) {
            update.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
            update.setTimestamp(2, Timestamp.from(now));
            update.setTimestamp(3, Timestamp.from(now));
            update.setObject(4, id);
            update.executeUpdate();
        }
    }

    /** Sources last crawled before the instant become pending again (a periodic re-fetch); how many did. */
    public int requeueCrawledBefore(Connection connection, Instant before, Instant now) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_sources SET status = 'pending', updated_at = ?
                WHERE status IN ('crawled', 'failed') AND crawled_at < ?""")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setTimestamp(2, Timestamp.from(before));
            return update.executeUpdate();
        }
    }

    private static UrlSource source(ResultSet rows) throws SQLException {
        Timestamp crawledAt = rows.getTimestamp(13);
        var tags = rows.getArray(7);
        return new UrlSource(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6),
                tags == null ? List.of() : Arrays.stream((Object[]) tags.getArray()).map(Object::toString).toList(),
                rows.getString(8), rows.getString(9), rows.getInt(10), rows.getTimestamp(11).toInstant(),
                rows.getTimestamp(12).toInstant(), crawledAt == null ? null : crawledAt.toInstant());
    }
}
