package dev.parley.knowledge.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.parley.knowledge.KnowledgeDocument;
import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.repository.DocumentRepository;
import dev.parley.knowledge.repository.Transactions;
import dev.parley.knowledge.rest.KnowledgeApi;
import dev.parley.knowledge.search.ChunkIndex;
import dev.parley.knowledge.search.Embedder;
import dev.parley.testsupport.ParleyTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A second replica, started after documents exist, builds its index from the database alone and then follows the
 * change log: it answers every search exactly as the replica that ingested the documents, after updates, deletes
 * and a tenant's erasure too.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class ReplicaTest {

    private static final List<String> QUERIES = List.of("how do I pay a bill", "foreign transaction fees",
            "lost card replacement", "opening hours on Sunday", "mortgage overpayment");

    @Inject
    DocumentService service;
    @Inject
    IndexFollower primary;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Transactions transactions;
    @Inject
    DocumentRepository documents;
    @Inject
    KnowledgeConfig config;
    @Inject
    Embedder embedder;

    private final String tenant = "t-" + UUID.randomUUID();
    private IndexFollower replica;

    @AfterEach
    void stopReplica() throws Exception {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void aNewReplicaRebuildsFromTheDatabaseAndConvergesOnEveryChange() throws Exception {
        assertFalse(primary.mayHaveChunks(tenant), "a new tenant has nothing indexed");
        assertEquals(List.of(), service.search(tenant, new KnowledgeApi.SearchInput("how do I pay a bill", null, null,
                null, null)));
        var bills = create("Paying bills", "Pay a bill from the Payments tab: scan the bill or enter the payee's details.");
        var fees = create("Fees abroad", "Foreign transaction fees are 0 percent on all cards.\n\nCash abroad costs 2 percent.");
        var cards = create("Lost cards", "# Lost\nFreeze a lost card in the app.\n# Replacement\nA replacement card arrives in five days.");
        var hours = create("Opening hours", "Branches open 9 to 5 on weekdays and 10 to 2 on Saturday; closed on Sunday.");
        for (var id : List.of(bills, fees, cards, hours)) {
            awaitStatus(id, KnowledgeDocument.INDEXED);
        }

        primary.catchUp();
        assertTrue(primary.mayHaveChunks(tenant));
        assertFalse(primary.mayHaveChunks("t-" + UUID.randomUUID()));
        assertFalse(service.search(tenant, new KnowledgeApi.SearchInput("how do I pay a bill", null, null, null, null))
                .isEmpty(), "searched once the tenant has chunks");
        replica = startReplica();
        assertSameAnswers();
        assertTrue(ids(replica, "lost card replacement").contains(cards.toString()));

        service.update(tenant, fees, new KnowledgeApi.DocumentInput("Fees abroad",
                "Mortgage overpayments of up to 10 percent a year carry no fee.", null, null, null));
        service.delete(tenant, bills);
        awaitStatus(fees, KnowledgeDocument.INDEXED);
        replica.catchUp();
        assertSameAnswers();
        assertFalse(ids(replica, "how do I pay a bill").contains(bills.toString()), "deleted on the replica too");
        assertEquals(fees.toString(), ids(replica, "mortgage overpayment").get(0), "the new version on the replica");

        service.eraseTenant(tenant);
        replica.catchUp();
        for (String query : QUERIES) {
            assertTrue(ids(replica, query).isEmpty(), "erased on the replica: " + query);
            assertTrue(ids(primary, query).isEmpty(), "erased on the primary: " + query);
        }
    }

    private IndexFollower startReplica() throws Exception {
        var follower = new IndexFollower();
        follower.dataSource = dataSource;
        follower.transactions = transactions;
        follower.documents = documents;
        follower.config = config;
        follower.rebuild();
        return follower;
    }

    private void assertSameAnswers() throws Exception {
        primary.catchUp();
        for (String query : QUERIES) {
            var expected = hits(primary, query);
            var actual = hits(replica, query);
            assertEquals(expected.stream().map(ChunkIndex.Hit::chunkId).toList(),
                    actual.stream().map(ChunkIndex.Hit::chunkId).toList(), "same ranking for: " + query);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).similarity(), actual.get(i).similarity(), 1e-6);
            }
        }
    }

    private List<ChunkIndex.Hit> hits(IndexFollower follower, String query) {
        return follower.search(new ChunkIndex.Request(tenant, query, embedder.query(query), null, List.of(), 5,
                ChunkIndex.Mode.HYBRID, ChunkIndex.Fusion.RRF));
    }

    private List<String> ids(IndexFollower follower, String query) {
        return hits(follower, query).stream().map(ChunkIndex.Hit::documentId).distinct().toList();
    }

    private UUID create(String title, String text) throws Exception {
        return service.create(tenant, new KnowledgeApi.DocumentInput(title, text, null, null, null)).id();
    }

    private void awaitStatus(UUID id, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> status.equals(service.get(tenant, id).status()));
    }
}
