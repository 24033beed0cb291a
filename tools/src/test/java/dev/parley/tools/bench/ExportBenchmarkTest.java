package dev.parley.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExportBenchmarkTest {

    @Test
    void heapIsTheSumOfTheHeapPoolsOnly() {
        String metrics = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3000000.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                jvm_memory_committed_bytes{area="heap",id="G1 Old Gen"} 5.0E7
                """;
        assertEquals(15_000_000L, ExportBenchmark.HeapSampler.heapUsed(metrics));
    }

    @Test
    void optionsNeedAnApiKeyAndAPositiveCount() {
        var options = ExportBenchmark.Options.parse(new String[] { "--api-key", "pk_x", "--messages", "1_000",
                "--url", "http://h:1/", "--format", "csv" });
        assertEquals(1000, options.messages());
        assertEquals("http://h:1", options.url());
        assertEquals("csv", options.format());
        assertThrows(IllegalArgumentException.class,
                () -> ExportBenchmark.Options.parse(new String[] { "--api-key", "k", "--messages", "0" }));
        assertThrows(IllegalArgumentException.class,
                () -> ExportBenchmark.Options.parse(new String[] { "--api-key", "k", "--bogus" }));
    }
}
