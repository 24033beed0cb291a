package dev.parley.knowledge;

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
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class SchemaTest {

    @Inject
    DataSource dataSource;

    @Test
    void chunksGoWithTheirDocument() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            UUID document = insertDocument(connection, "pending");
            insertChunk(connection, document, 0);
            insertChunk(connection, document, 1);
            assertEquals(2, count(connection, "SELECT count(*) FROM knowledge_chunks WHERE document_id = '" + document + "'"));

            execute(connection, "DELETE FROM knowledge_documents WHERE id = '" + document + "'");
            assertEquals(0, count(connection, "SELECT count(*) FROM knowledge_chunks WHERE document_id = '" + document + "'"));
        }
    }

    @Test
    void statusIsOneOfTheKnownValues() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            insertDocument(connection, "indexed");
            insertDocument(connection, "failed");
            var e = assertThrows(SQLException.class, () -> insertDocument(connection, "deleted"));
            assertEquals("23514", e.getSQLState()); // check_violation
        }
    }

    @Test
    void aChunkOrdinalIsUniqueWithinItsDocument() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            UUID document = insertDocument(connection, "pending");
            insertChunk(connection, document, 0);
            var e = assertThrows(SQLException.class, () -> insertChunk(connection, document, 0));
            assertEquals("23505", e.getSQLState()); // unique_violation
        }
    }

    private static UUID insertDocument(Connection connection, String status) throws SQLException {
        UUID id = UUID.randomUUID();
        try (var insert = connection.prepareStatement("""
                INSERT INTO knowledge_documents (id, tenant_id, bot_id, title, source, tags, status, created_at, updated_at)
                VALUES (?, 'tenant-a', NULL, 'Opening hours', 'upload', ?, ?, now(), now())""")) {
            insert.setObject(1, id);
            insert.setArray(2, connection.createArrayOf("text", new String[] { "faq", "hours" }));
            insert.setString(3, status);
            insert.executeUpdate();
        }
        return id;
    }

    private static void insertChunk(Connection connection, UUID document, int ordinal) throws SQLException {
        try (var insert = connection.prepareStatement("""
                INSERT INTO knowledge_chunks (id, document_id, tenant_id, ordinal, text, created_at)
                VALUES (?, ?, 'tenant-a', ?, 'We open at nine.', now())""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, document);
            insert.setInt(3, ordinal);
            insert.executeUpdate();
        }
    }
}
