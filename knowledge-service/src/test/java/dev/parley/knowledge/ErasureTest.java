package dev.parley.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.testsupport.ErasureCommands;
import dev.parley.testsupport.ParleyTestResources;
import dev.parley.testsupport.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * user.erased in knowledge-service, against the real broker and database: no table of the service can hold data
 * about an end user, and every command (a redelivered one too) is confirmed with itemsErased 0.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class ErasureTest {

    static final Duration CONFIRMED_WITHIN = Duration.ofSeconds(90);

    @Inject
    DataSource dataSource;

    @Test
    void noTableNamesAUserAndEveryCommandIsConfirmedWithNothingErased() throws Exception {
        // The claim behind confirming with 0: nothing in this service's schema refers to an end user.
        try (var connection = dataSource.getConnection()) {
            assertEquals(0, Sql.count(connection, """
                    SELECT count(*) FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name NOT LIKE 'flyway%'
                      AND (column_name LIKE '%user%' OR column_name LIKE '%conversation%'
                           OR column_name LIKE '%session%')"""));
        }
        String tenant = "t-erasure-" + UUID.randomUUID();
        String user = "erase-" + UUID.randomUUID();
        try (var commands = new ErasureCommands()) {
            var requestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String erasureId = UUID.randomUUID().toString();
            commands.send(erasureId, tenant, user, requestedAt);
            var confirmed = commands.awaitConfirmation(erasureId, "knowledge-service", CONFIRMED_WITHIN);
            assertEquals(tenant, confirmed.getString("tenantId"));
            assertEquals(user, confirmed.getString("userId"));
            assertEquals(0, confirmed.getLong("itemsErased"));

            commands.send(erasureId, tenant, user, requestedAt);
            var both = commands.awaitConfirmations(erasureId, "knowledge-service", 2, CONFIRMED_WITHIN);
            assertEquals(0, both.get(1).getLong("itemsErased"));
        }
    }
}
