package dev.parley.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.parley.tools.fuzz.GatewayFuzz;

/**
 * 5,000 malformed and hostile requests at the packaged gateway, with a second tenant trying the first one's ids:
 * no 5xx, no cross-tenant read, nothing stored.
 */
class SecurityFuzzIT {

    @Test
    void fiveThousandHostileRequestsCauseNoServerErrorNoCrossTenantReadAndStoreNothing() throws Exception {
        var stack = Stack.get();
        String other = stack.createTenant("fuzz-other");
        var result = new GatewayFuzz(URI.create(stack.gatewayUrl), stack.apiKey, other, 20261123L).run(5_000, 8);
        GatewayFuzz.print(result);
        assertEquals(5_000, result.requests());
        assertEquals(0, result.serverErrors(), result.failures().toString());
        assertEquals(0, result.crossTenantReads(), result.failures().toString());
        assertEquals(0, result.storedEffects(), result.failures().toString());
        assertTrue(result.byCategory().size() >= 7, result.byCategory().toString());
    }
}
