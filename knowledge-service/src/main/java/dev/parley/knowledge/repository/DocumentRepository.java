package dev.parley.knowledge.repository;

import java.sql.Array;
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
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.parley.knowledge.KnowledgeDocument;
import dev.parley.knowledge.search.ChunkIndex;
import dev.parley.knowledge.search.Embedder;

/** Documents, their chunks and the index change log, in plain SQL; every method runs in the caller's transaction. */
@ApplicationScoped
public class DocumentRepository {

    /** Serialises appends to the change log so that sequence numbers become visible in order. */
    private static final long CHANGE_LOG_LOCK = 0x6b6e6f776c656467L;

    private static final String COLUMNS = """
            id, tenant_id, bot_id, title, source, tags, status, failure_reason, version, chunk_count, content_type,
            filename, import_id, created_at, updated_at, indexed_at, source_id, fetch_url, fetch_pending, auto_title""";

    public record NewDocument(UUID id, String tenantId, String botId, String title, String source, List<String> tags,
            byte[] content, String contentType, String filename, UUID importId) {
    }

    public record Content(KnowledgeDocument document, byte[] bytes) {
    }

    public record StoredChunk(UUID id, int ordinal, String heading, String text, float[] embedding) {
    }

    public record Change(long seq, String tenantId, UUID documentId, String kind) {
    }

    public record Cursor(Instant createdAt, UUID id) {
    }

    public void insert(Connection connection, List<NewDocument> documents, Instant now) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO knowledge_documents (id, tenant_id, bot_id, title, source, tags, status, content,
                    content_type, filename, import_id, created_at, updated_at, ingest_requested_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)""")) {
            for (NewDocument d : documents) {
                insert.setObject(1, d.id());
                insert.setString(2, d.tenantId());
                insert.setString(3, d.botId());
                insert.setString(4, d.title());
                insert.setString(5, d.source());
                insert.setArray(6, connection.createArrayOf("text", d.tags().toArray()));
                insert.setBytes(7, d.content());
                insert.setString(8, d.contentType());
                insert.setString(9, d.filename());
                insert.setObject(10, d.importId());
                insert.setTimestamp(11, Timestamp.from(now));
                insert.setTimestamp(12, Timestamp.from(now));
                insert.setTimestamp(13, Timestamp.from(now));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A new version: new content and metadata, pending again. Empty when there is no such document. */
    public Optional<KnowledgeDocument> replace(Connection connection, NewDocument d, Instant now) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_documents SET bot_id = ?, title = ?, source = ?, tags = ?, content = ?, content_type = ?,
                    filename = ?, status = 'pending', failure_reason = NULL, version = version + 1, updated_at = ?,
                    ingest_requested_at = ?, fetch_pending = false, auto_title = false
                WHERE id = ? AND tenant_id = ? RETURNING""" + " " + COLUMNS)) {
            update.setString(1, d.botId());
            update.setString(2, d.title());
            update.setString(3, d.source());
            update.setArray(4, connection.createArrayOf("text", d.tags().toArray()));
            update.setBytes(5, d.content());
            update.setString(6, d.contentType());
            update.setString(7, d.filename());
            update.setTimestamp(8, Timestamp.from(now));
            update.setTimestamp(9, Timestamp.from(now));
            update.setObject(10, d.id());
            update.setString(11, d.tenantId());
            var rows = update.executeQuery();
            return rows.next() ? Optional.of(document(rows)) : Optional.empty();
        }
    }

    public Optional<KnowledgeDocument> find(Connection connection, String tenantId, UUID id) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM knowledge_documents WHERE id = ? AND tenant_id = ?")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var rows = select.executeQuery();
            return rows.next() ? Optional.of(document(rows)) : Optional.empty();
        }
    }

    /** Newest first; {@code limit + 1} rows so the caller knows whether there is a next page. */
    public List<KnowledgeDocument> page(Connection connection, String tenantId, String botId, String tag, String status,
            Cursor after, int limit) throws SQLException {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM knowledge_documents WHERE tenant_id = ?");
        var parameters = new ArrayList<Object>(List.of(tenantId));
        if (botId != null) {
            sql.append(" AND bot_id = ?");
            parameters.add(botId);
        }
        if (tag != null) {
            sql.append(" AND ? = ANY (tags)");
            parameters.add(tag);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            parameters.add(status);
        }
        if (after != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            parameters.add(Timestamp.from(after.createdAt()));
            parameters.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        parameters.add(limit + 1);
        try (var select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            var rows = select.executeQuery();
            var documents = new ArrayList<KnowledgeDocument>();
            while (rows.next()) {
                documents.add(document(rows));
            }
            return documents;
        }
    }

    public boolean delete(Connection connection, String tenantId, UUID id) throws SQLException {
        try (var delete = connection.prepareStatement("DELETE FROM knowledge_documents WHERE id = ? AND tenant_id = ?")) {
            delete.setObject(1, id);
            delete.setString(2, tenantId);
            return delete.executeUpdate() == 1;
        }
    }

    public int eraseTenant(Connection connection, String tenantId) throws SQLException {
        try (var delete = connection.prepareStatement("DELETE FROM knowledge_documents WHERE tenant_id = ?");
                var imports = connection.prepareStatement("DELETE FROM knowledge_imports WHERE tenant_id = ?");
                var sources = connection.prepareStatement("DELETE FROM knowledge_sources WHERE tenant_id = ?")) {
            delete.setString(1, tenantId);
            imports.setString(1, tenantId);
            sources.setString(1, tenantId);
            int deleted = delete.executeUpdate();
            imports.executeUpdate();
            sources.executeUpdate();
            return deleted;
        }
    }

    /** Appends to the change log; call last in the transaction (the lock is held until commit). */
    public void appendChange(Connection connection, String tenantId, List<UUID> documentIds, String kind) throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, CHANGE_LOG_LOCK);
            lock.execute();
        }
        try (var insert = connection.prepareStatement(
                "INSERT INTO knowledge_index_changes (tenant_id, document_id, kind) VALUES (?, ?, ?)")) {
            for (UUID documentId : documentIds) {
                insert.setString(1, tenantId);
                insert.setObject(2, documentId);
                insert.setString(3, kind);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public List<Change> changesAfter(Connection connection, long seq, int limit) throws SQLException {
        try (var select = connection.prepareStatement("""
                SELECT seq, tenant_id, document_id, kind FROM knowledge_index_changes WHERE seq > ? ORDER BY seq LIMIT ?""")) {
            select.setLong(1, seq);
            select.setInt(2, limit);
            var rows = select.executeQuery();
            var changes = new ArrayList<Change>();
            while (rows.next()) {
                changes.add(new Change(rows.getLong(1), rows.getString(2), rows.getObject(3, UUID.class), rows.getString(4)));
            }
            return changes;
        }
    }

    public long lastChange(Connection connection) throws SQLException {
        try (var select = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM knowledge_index_changes")) {
            var rows = select.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The document and its bytes, locked against a concurrent ingestion of the same document. */
    public Optional<Content> lockForIngest(Connection connection, UUID id) throws SQLException {
        try (var select = connection.prepareStatement(
                "SELECT " + COLUMNS + ", content FROM knowledge_documents WHERE id = ? FOR UPDATE")) {
            select.setObject(1, id);
            var rows = select.executeQuery();
            return rows.next() ? Optional.of(new Content(document(rows), rows.getBytes(21))) : Optional.empty();
        }
    }

    public void storeChunks(Connection connection, UUID documentId, String tenantId, List<StoredChunk> chunks, Instant now)
            throws SQLException {
        try (var delete = connection.prepareStatement("DELETE FROM knowledge_chunks WHERE document_id = ?")) {
            delete.setObject(1, documentId);
            delete.executeUpdate();
        }
        try (var insert = connection.prepareStatement("""
                INSERT INTO knowledge_chunks (id, document_id, tenant_id, ordinal, heading, text, embedding, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (StoredChunk chunk : chunks) {
                insert.setObject(1, chunk.id());
                insert.setObject(2, documentId);
                insert.setString(3, tenantId);
                insert.setInt(4, chunk.ordinal());
                insert.setString(5, chunk.heading());
                insert.setString(6, chunk.text());
                insert.setBytes(7, Embedder.toBytes(chunk.embedding()));
                insert.setTimestamp(8, Timestamp.from(now));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_documents SET status = 'indexed', failure_reason = NULL, chunk_count = ?, indexed_at = ?
                WHERE id = ?""")) {
            update.setInt(1, chunks.size());
            update.setTimestamp(2, Timestamp.from(now));
            update.setObject(3, documentId);
            update.executeUpdate();
        }
    }

    /** Failed: the reason is kept and the document has no searchable chunks. */
    public void markFailed(Connection connection, UUID documentId, String reason) throws SQLException {
        try (var delete = connection.prepareStatement("DELETE FROM knowledge_chunks WHERE document_id = ?")) {
            delete.setObject(1, documentId);
            delete.executeUpdate();
        }
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_documents SET status = 'failed', failure_reason = ?, chunk_count = 0 WHERE id = ?""")) {
            update.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
            update.setObject(2, documentId);
            update.executeUpdate();
        }
    }

    /** What the index should hold for the document now: empty when it is gone or has no chunks. */
    public Optional<ChunkIndex.DocumentEntry> indexEntry(Connection connection, UUID documentId) throws SQLException {
        var entries = new ArrayList<ChunkIndex.DocumentEntry>();
        indexed(connection, documentId, entries::add);
        return entries.stream().findFirst();
    }

    /** Streams every indexed document with its chunks (one document at a time), for a rebuild. */
    public void allIndexed(Connection connection, Consumer<ChunkIndex.DocumentEntry> sink) throws SQLException {
        indexed(connection, null, sink);
    }

    private void indexed(Connection connection, UUID only, Consumer<ChunkIndex.DocumentEntry> sink) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // lets the driver stream with a fetch size instead of loading everything
        try (var select = connection.prepareStatement("""
                SELECT d.id, d.tenant_id, d.bot_id, d.title, d.source, d.tags, c.id, c.ordinal, c.heading, c.text, c.embedding
                FROM knowledge_documents d JOIN knowledge_chunks c ON c.document_id = d.id
                WHERE d.status = 'indexed'""" + (only == null ? "" : " AND d.id = ?") + " ORDER BY d.id, c.ordinal")) {
            select.setFetchSize(2000);
            if (only != null) {
                select.setObject(1, only);
            }
            var rows = select.executeQuery();
            UUID current = null;
            ChunkIndex.DocumentEntry entry = null;
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                if (!id.equals(current)) {
                    if (entry != null) {
                        sink.accept(entry);
                    }
                    current = id;
                    entry = new ChunkIndex.DocumentEntry(id.toString(), rows.getString(2), rows.getString(3),
                            tags(rows.getArray(6)), rows.getString(4), rows.getString(5), new ArrayList<>());
                }
                entry.chunks().add(new ChunkIndex.IndexedChunk(rows.getObject(7, UUID.class).toString(), rows.getInt(8),
                        rows.getString(9), rows.getString(10), Embedder.fromBytes(rows.getBytes(11))));
            }
            if (entry != null) {
                sink.accept(entry);
            }
        } finally {
            if (autoCommit) {
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
    }

    /** Pending documents whose ingestion request is older than the instant, locked (skipping others' locks). */
    public List<KnowledgeDocument> lockStalePending(Connection connection, Instant requestedBefore, int limit)
            throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + """
                 FROM knowledge_documents WHERE status = 'pending' AND ingest_requested_at < ?
                ORDER BY ingest_requested_at LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            select.setTimestamp(1, Timestamp.from(requestedBefore));
            select.setInt(2, limit);
            var rows = select.executeQuery();
            var documents = new ArrayList<KnowledgeDocument>();
            while (rows.next()) {
                documents.add(document(rows));
            }
            return documents;
        }
    }

    public void markRequested(Connection connection, List<UUID> ids, Instant now) throws SQLException {
        try (var update = connection.prepareStatement(
                "UPDATE knowledge_documents SET ingest_requested_at = ? WHERE id = ANY (?)")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            update.executeUpdate();
        }
    }

    /** What a URL document needs: its URL, where it was listed, and how to label it. */
    public record FetchedDocument(String tenantId, String botId, String url, String title, List<String> tags,
            UUID sourceId) {
    }

    /**
     * A document for each URL, to be fetched: a URL the tenant has no document for yet becomes a new pending
     * document; a known URL (same tenant) gets a new version of its document, pending until fetched and indexed,
     * so the old version stays searchable until then. Without a title the URL is the title until the page's own.
     */
    public List<KnowledgeDocument> upsertFetched(Connection connection, List<FetchedDocument> documents, Instant now)
            throws SQLException {
        var result = new ArrayList<KnowledgeDocument>(documents.size());
        try (var upsert = connection.prepareStatement("""
                INSERT INTO knowledge_documents AS d (id, tenant_id, bot_id, title, source, tags, status, created_at,
                    updated_at, ingest_requested_at, source_id, fetch_url, fetch_pending, auto_title)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, true, ?)
                ON CONFLICT (tenant_id, fetch_url) WHERE fetch_url IS NOT NULL DO UPDATE SET
                    bot_id = excluded.bot_id, tags = excluded.tags, source_id = excluded.source_id,
                    title = CASE WHEN excluded.auto_title THEN d.title ELSE excluded.title END,
                    auto_title = excluded.auto_title, status = 'pending', failure_reason = NULL,
                    version = d.version + 1, fetch_pending = true, updated_at = excluded.updated_at,
                    ingest_requested_at = excluded.ingest_requested_at
                RETURNING""" + " " + COLUMNS)) {
            for (FetchedDocument d : documents) {
                boolean auto = d.title() == null || d.title().isBlank();
                String title = auto ? (d.url().length() > 300 ? d.url().substring(0, 300) : d.url()) : d.title().strip();
                upsert.setObject(1, UUID.randomUUID());
                upsert.setString(2, d.tenantId());
                upsert.setString(3, d.botId());
                upsert.setString(4, title);
                upsert.setString(5, d.url());
                upsert.setArray(6, connection.createArrayOf("text", d.tags().toArray()));
                upsert.setTimestamp(7, Timestamp.from(now));
                upsert.setTimestamp(8, Timestamp.from(now));
                upsert.setTimestamp(9, Timestamp.from(now));
                upsert.setObject(10, d.sourceId());
                upsert.setString(11, d.url());
                upsert.setBoolean(12, auto);
                var rows = upsert.executeQuery();
                rows.next();
                result.add(document(rows));
            }
        }
        return result;
    }

    /** The fetched content of the current version; a page's own title replaces an automatic one. */
    public void storeFetched(Connection connection, UUID documentId, byte[] content, String contentType,
            String filename, String title) throws SQLException {
        try (var update = connection.prepareStatement("""
                UPDATE knowledge_documents SET content = ?, content_type = ?, filename = ?, fetch_pending = false,
                    title = CASE WHEN auto_title AND ? IS NOT NULL THEN ? ELSE title END
                WHERE id = ?""")) {
            update.setBytes(1, content);
            update.setString(2, contentType);
            update.setString(3, filename);
            update.setString(4, title);
            update.setString(5, title);
            update.setObject(6, documentId);
            update.executeUpdate();
        }
    }

    /** The documents listed by a URL source, by URL, at most {@code limit}. */
    public List<KnowledgeDocument> ofSource(Connection connection, String tenantId, UUID sourceId, int limit)
            throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM knowledge_documents WHERE tenant_id = ? AND source_id = ? ORDER BY fetch_url LIMIT ?")) {
            select.setString(1, tenantId);
            select.setObject(2, sourceId);
            select.setInt(3, limit);
            var rows = select.executeQuery();
            var documents = new ArrayList<KnowledgeDocument>();
            while (rows.next()) {
                documents.add(document(rows));
            }
            return documents;
        }
    }

    public void insertImport(Connection connection, UUID id, String tenantId, int total, Instant now) throws SQLException {
        try (var insert = connection.prepareStatement(
                "INSERT INTO knowledge_imports (id, tenant_id, total, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, tenantId);
            insert.setInt(3, total);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    public record ImportProgress(UUID id, int total, int pending, int indexed, int failed, Instant createdAt) {
    }

    public Optional<ImportProgress> importProgress(Connection connection, String tenantId, UUID id) throws SQLException {
        try (var select = connection.prepareStatement("""
                SELECT i.total, i.created_at,
                    count(d.id) FILTER (WHERE d.status = 'pending'),
                    count(d.id) FILTER (WHERE d.status = 'indexed'),
                    count(d.id) FILTER (WHERE d.status = 'failed')
                FROM knowledge_imports i LEFT JOIN knowledge_documents d ON d.import_id = i.id
                WHERE i.id = ? AND i.tenant_id = ? GROUP BY i.id""")) {
            select.setObject(1, id);
            select.setString(2, tenantId);
            var rows = select.executeQuery();
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new ImportProgress(id, rows.getInt(1), rows.getInt(3), rows.getInt(4), rows.getInt(5),
                    rows.getTimestamp(2).toInstant()));
        }
    }

    private static KnowledgeDocument document(ResultSet rows) throws SQLException {
        Timestamp indexedAt = rows.getTimestamp(16);
        return new KnowledgeDocument(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), tags(rows.getArray(6)), rows.getString(7), rows.getString(8), rows.getInt(9),
                rows.getInt(10), rows.getString(11), rows.getString(12), rows.getObject(13, UUID.class),
                rows.getTimestamp(14).toInstant(), rows.getTimestamp(15).toInstant(),
                indexedAt == null ? null : indexedAt.toInstant(), rows.getObject(17, UUID.class), rows.getString(18),
                rows.getBoolean(19), rows.getBoolean(20));
    }

    private static List<String> tags(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(Object::toString).toList();
    }
}
