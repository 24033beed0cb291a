package dev.parley.gateway.ratelimit;

import static dev.parley.gateway.Keys.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.gateway.Tenants;
import dev.parley.gateway.service.Bootstrap;
import dev.parley.testsupport.ParleyTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class RateLimitTest {

    @Inject
    Tenants tenants;
    @Inject
    TenantLimits limits;
    @Inject
    Bootstrap bootstrap;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void perKeyAndPerTenantBucketsWithIetfHeadersAnd429() throws Exception {
        String tenant = "ratey-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = tenants.newTenantAdmin(tenant);
        limits.set(tenant, "{\"perKey\":{\"capacity\":3,\"periodSeconds\":60},\"perTenant\":{\"capacity\":5,\"periodSeconds\":60}}");

        // 1st token of each bucket.
        String second = Keys.secret(admin, "conversations:read");
        // Every response carries the headers, errors included: 2nd token.
        as(admin).get("/v1/api-keys/" + UUID.randomUUID()).then().statusCode(404)
                .header("RateLimit-Policy", "\"key\";q=3;w=60, \"tenant\";q=5;w=60")
                .header("RateLimit", matchesPattern("\"key\";r=1;t=\\d+, \"tenant\";r=3;t=\\d+"));
        as(admin).get("/v1/test-probe").then().statusCode(200)
                .header("RateLimit", matchesPattern("\"key\";r=0;t=\\d+, \"tenant\";r=2;t=\\d+"));
        var limited = as(admin).get("/v1/test-probe");
        limited.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("rate_limited"))
                .header("RateLimit", matchesPattern("\"key\";r=0;t=\\d+, .*"));
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);

        // The tenant's other key has its own bucket but shares the tenant's: 2 of 5 tokens are left.
        as(second).get("/v1/test-probe").then().statusCode(200);
        as(second).get("/v1/test-probe").then().statusCode(200)
                .header("RateLimit", matchesPattern("\"key\";r=1;t=\\d+, \"tenant\";r=0;t=\\d+"));
        as(second).get("/v1/test-probe").then().statusCode(429).header("Retry-After", matchesPattern("\\d+"));

        // Another tenant is not affected.
        as(Keys.ADMIN).get("/v1/test-probe").then().statusCode(200);
    }

    @Test
    void bootstrapSetsTheTenantsOwnLimitsAndRefusesMalformedOnes() throws Exception {
        String tenant = "boot-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "pk_boot_" + UUID.randomUUID().toString().replace("-", "");
        bootstrap.ensure(tenant, key, Optional.empty(),
                Optional.of("{\"perKey\":{\"capacity\":7,\"periodSeconds\":1},\"perTenant\":{\"capacity\":9}}"));
        as(key).get("/v1/test-probe").then().statusCode(200)
                .header("RateLimit-Policy", "\"key\";q=7;w=1, \"tenant\";q=9;w=1");

        for (String malformed : new String[] { "{\"perKey\":{\"capacity\":0}}", "{\"perTenant\":{}}", "[1]", "{perKey" }) {
            assertThrows(IllegalArgumentException.class,
                    () -> bootstrap.ensure(tenant, key, Optional.empty(), Optional.of(malformed)), malformed);
        }
        // Nothing malformed was stored.
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("SELECT rate_limits->'perKey'->>'capacity' FROM tenants WHERE id = ?")) {
            select.setString(1, tenant);
            var row = select.executeQuery();
            assertTrue(row.next());
            assertEquals("7", row.getString(1));
        }
    }
}
