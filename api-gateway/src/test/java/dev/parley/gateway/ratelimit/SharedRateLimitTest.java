package dev.parley.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Two replicas' views of one PostgreSQL bucket together never exceed its capacity. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class SharedRateLimitTest {

    @Inject
    SharedTokenSources shared;

    @Test
    void replicasBorrowFromOneBucketAndTogetherStayWithinIt() {
        var limit = new Limits.Limit(40, Duration.ofHours(1));
        String id = "test|" + UUID.randomUUID();
        // Two sources on one id stand for two gateway replicas, each with its own local allowance.
        var replicaA = shared.source(id, limit);
        var replicaB = shared.source(id, limit);
        int taken = 0;
        int refusedInARow = 0;
        for (int i = 0; i < 200 && refusedInARow < 4; i++) {
            var take = (i % 3 == 0 ? replicaB : replicaA).take();
            if (take.taken()) {
                taken++;
                refusedInARow = 0;
            } else {
                refusedInARow++;
                assertTrue(take.nanosToRefill() > 0, "a refusal says when to retry");
            }
        }
        // Borrowed batches of 10: at most (10 - 1) tokens per replica may sit unused, never more than the capacity.
        assertTrue(taken <= 40, "taken " + taken);
        assertTrue(taken >= 40 - 2 * 9, "taken " + taken);
        assertFalse(replicaA.take().taken() && replicaB.take().taken() && taken == 40);
    }
}
