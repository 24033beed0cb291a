package dev.parley.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts (once per JVM) a real Kafka broker and a real PostgreSQL server and points the Quarkus application
 * under test at them. Each test profile may name its own database with the init argument {@code database}.
 */
public class ParleyTestResources implements QuarkusTestResourceLifecycleManager {

    private String database = "parley";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        var config = new HashMap<String, String>();
        config.put("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", Postgres.jdbcUrl(database));
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        return config;
    }

    @Override
    public void stop() {
        // Shared for the whole JVM; stopped by a shutdown hook.
    }
}
