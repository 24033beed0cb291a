package dev.parley.knowledge.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.jboss.logging.Logger;

import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.repository.DocumentRepository;
import dev.parley.knowledge.repository.Transactions;
import dev.parley.knowledge.search.ChunkIndex;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * This replica's index and how it stays equal to the database: built from the database at start, then kept current
 * by replaying the change log (every replica reads it, so every replica converges to the same index whichever one
 * ingested a document). A change says which document changed; applying it re-reads that document, so applying a
 * change twice, or late, is harmless.
 */
@ApplicationScoped
public class IndexFollower {

    private static final Logger LOG = Logger.getLogger(IndexFollower.class);
    private static final int CHANGES_PER_READ = 1000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Transactions transactions;
    @Inject
    DocumentRepository documents;
    @Inject
    KnowledgeConfig config;

    private volatile ChunkIndex index;
    private long applied;
    private volatile boolean ready;

    void onStart(@Observes StartupEvent start) throws SQLException, IOException {
        rebuild();
    }

    /** Drops the index and builds it again from the database. */
    public synchronized void rebuild() throws SQLException, IOException {
        ready = false;
        long started = System.nanoTime();
        var fresh = new ChunkIndex(directory(), config.index().candidates(), config.index().rrfK());
        long from;
        int[] count = new int[1];
        try (var connection = dataSource.getConnection()) {
            // Read the log position first: a change committed during the load is applied again afterwards.
            from = documents.lastChange(connection);
            documents.allIndexed(connection, entry -> {
                fresh.replace(entry);
                count[0] += entry.chunks().size();
            });
        }
        // One segment after the bulk load: searches then walk one HNSW graph instead of one per segment, which
        // measured p99 11 ms instead of 22 ms at 100,000 chunks (BENCHMARKS.md).
        fresh.optimise();
        var old = index;
        index = fresh;
        applied = from;
        if (old != null) {
            old.close();
        }
        catchUp();
        ready = true;
        LOG.infof("Knowledge index built from the database: %d chunks in %d ms", count[0],
                (System.nanoTime() - started) / 1_000_000);
    }

    private Directory directory() throws IOException {
        var configured = config.index().directory();
        if (configured.isEmpty() || configured.get().isBlank()) {
            return new ByteBuffersDirectory();
        }
        Path path = Path.of(configured.get());
        if (Files.exists(path)) {
            try (var files = Files.walk(path)) {
                files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(path)).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(path);
        return new MMapDirectory(path);
    }

    @Scheduled(every = "${parley.knowledge.index.follow-every:PT0.5S}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void follow() {
        if (!ready) {
            return;
        }
        try {
            catchUp();
        } catch (Exception e) {
            LOG.warnf("Could not read the knowledge change log, will retry: %s", e.getMessage());
        }
    }

    /** Applies every change committed so far and makes it searchable. */
    public synchronized void catchUp() throws SQLException {
        if (index == null) {
            return;
        }
        boolean changed = false;
        while (true) {
            List<DocumentRepository.Change> changes;
            try (var connection = dataSource.getConnection()) {
                changes = documents.changesAfter(connection, applied, CHANGES_PER_READ);
                for (var change : changes) {
                    if ("tenant_erased".equals(change.kind())) {
                        index.deleteTenant(change.tenantId());
                    } else {
                        var entry = documents.indexEntry(connection, change.documentId());
                        if (entry.isPresent()) {
                            index.replace(entry.get());
                        } else {
                            index.delete(change.documentId().toString());
                        }
                    }
                    applied = change.seq();
                    changed = true;
                }
            }
            if (changes.size() < CHANGES_PER_READ) {
                break;
            }
        }
        if (changed) {
            index.refresh();
        }
    }

    public boolean ready() {
        return ready;
    }

    public synchronized long appliedChange() {
        return applied;
    }

    public List<ChunkIndex.Hit> search(ChunkIndex.Request request) {
        return index.search(request);
    }

    /** See {@link ChunkIndex#mayHaveChunks(String)}. */
    public boolean mayHaveChunks(String tenantId) {
        return index.mayHaveChunks(tenantId);
    }

    @PreDestroy
    void close() throws IOException {
        if (index != null) {
            index.close();
        }
    }
}
