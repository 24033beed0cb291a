package dev.parley.webhook;

import static dev.parley.webhook.WebhookApi.as;
import static dev.parley.webhook.WebhookApi.tenant;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The production SSRF policy (no allowed networks, https only) with a resolver the test controls: internal addresses
 * are refused whether a URL names them or a host name resolves to them, at creation and again at connection time.
 */
@QuarkusTest
@TestProfile(SsrfTest.Production.class)
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_webhook_ssrf"))
class SsrfTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.webhook.ssrf.allowed-networks", "", "parley.webhook.ssrf.https-only", "true");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FakeDns.class);
        }
    }

    @Test
    void aHostNameThatResolvesToLoopbackIsRefused() {
        FakeDns.point("innocent.example", "127.0.0.1");
        for (String url : List.of("https://innocent.example/hook", "https://localhost/hook", "https://127.0.0.1/hook",
                "https://127.1.2.3:8443/hook")) {
            as(tenant()).body(Map.of("url", url, "events", List.of("*"))).post()
                    .then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("detail", containsString("internal address"));
        }
    }

    @Test
    void metadataAndPrivateNamesAreRefused() {
        FakeDns.point("metadata.example", "169.254.169.254");
        FakeDns.point("intranet.example", "10.1.2.3");
        FakeDns.point("carrier.example", "100.100.1.1");
        FakeDns.point("v6.example", "fd00:ec2::254");
        for (String host : List.of("metadata.example", "intranet.example", "carrier.example", "v6.example")) {
            as(tenant()).body(Map.of("url", "https://" + host + "/hook", "events", List.of("*"))).post()
                    .then().statusCode(400).body("detail", containsString("internal address"));
        }
    }

    @Test
    void plainHttpIsRefusedWhenHttpsOnly() {
        FakeDns.point("public.example", "93.184.216.34");
        as(tenant()).body(Map.of("url", "http://public.example/hook", "events", List.of("*"))).post()
                .then().statusCode(400).body("detail", containsString("https"));
    }

    @Test
    void aNameRepointedAtLoopbackAfterCreationIsRefusedAtConnectionTime() {
        String tenant = tenant();
        // Public when the endpoint is saved (nothing connects then) ...
        FakeDns.point("rebind.example", "93.184.216.34");
        String id = as(tenant).body(Map.of("url", "https://rebind.example/hook", "events", List.of("*"))).post()
                .then().statusCode(201).extract().path("id");
        // ... then re-pointed at loopback before the delivery: the attempt checks again and never connects.
        FakeDns.point("rebind.example", "127.0.0.1");
        Events.send(Topics.CONVERSATION_EVENTS, tenant, "message.sent", "{}");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(tenant).get("/" + id + "/deliveries").then()
                .body("items[0].lastError", containsString("resolves to 127.0.0.1, an internal address")));
    }
}
