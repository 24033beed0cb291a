package dev.parley.gateway.security;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.Keys;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Key and token secrets never appear in logs, problem bodies or events, while the admin audit trail records who
 * created, rotated and revoked which key.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class NoSecretsLeakTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    static final class Capture extends Handler {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    message += " " + parameter;
                }
            }
            if (record.getThrown() != null) {
                message += " " + record.getThrown();
            }
            lines.add(message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void secretsStayOutOfLogsErrorsAndEventsWhileTheAuditTrailRecordsChanges() throws Exception {
        var capture = new Capture();
        var root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        var secrets = new ArrayList<String>();
        var problems = new ArrayList<String>();
        String keyId;
        try {
            var created = Keys.create(ADMIN, "conversations:write", "conversations:read");
            String secret = created.getString("key");
            keyId = created.getString("apiKey.id");
            secrets.add(secret);
            String conversation = as(secret).body(Map.of("userId", "leaky")).post("/v1/sessions").then().statusCode(201)
                    .extract().path("conversationId");
            String token = as(secret).body(Map.of("conversationId", conversation)).post("/v1/client-tokens").then()
                    .statusCode(201).extract().path("token");
            secrets.add(token);
            secrets.add(as(token).post("/v1/client-tokens/refresh").then().statusCode(201).extract().path("token"));
            var rotated = as(ADMIN).body(Map.of("gracePeriodSeconds", 0)).post("/v1/api-keys/" + keyId + "/rotate")
                    .then().statusCode(201).extract().jsonPath();
            secrets.add(rotated.getString("key"));
            as(ADMIN).delete("/v1/api-keys/" + rotated.getString("apiKey.id")).then().statusCode(200);
            // Failures that carry a secret in the request.
            problems.add(as(secret).get("/v1/test-probe").then().statusCode(401).extract().asString());
            problems.add(as(rotated.getString("key")).get("/v1/api-keys").then().statusCode(401).extract().asString());
            problems.add(as(token.substring(0, token.length() - 3) + "abc").get("/v1/conversations/" + conversation)
                    .then().statusCode(401).extract().asString());
            problems.add(as(ADMIN).body("{\"name\": \"" + secret + "\", \"scopes\": [\"" + token + "\"]}")
                    .post("/v1/api-keys").then().statusCode(400).extract().asString());
        } finally {
            root.removeHandler(capture);
        }
        for (String secret : secrets) {
            String secretPart = secret.substring(secret.length() - 20);
            for (String line : capture.lines) {
                assertFalse(line.contains(secretPart), "a secret was logged: " + line);
            }
            for (String problem : problems) {
                assertFalse(problem.contains(secretPart), "a secret was echoed in an error: " + problem);
            }
        }

        var props = new Properties();
        props.put("bootstrap.servers", kafka);
        props.put("group.id", "audit-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        var audit = new ArrayList<String>();
        var credentials = new ArrayList<String>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("parley.audit", "parley.gateway.credentials"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && (audit.stream().noneMatch(e -> e.contains("api_key.revoked") && e.contains("\"acme\""))
                            || audit.stream().noneMatch(e -> e.contains("api_key.rotated") && e.contains(keyId)))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    (record.topic().equals("parley.audit") ? audit : credentials).add(record.value());
                }
            }
        }
        assertTrue(audit.stream().anyMatch(e -> e.contains("\"api_key.created\"")), audit.toString());
        assertTrue(audit.stream().anyMatch(e -> e.contains("\"api_key.rotated\"") && e.contains(keyId)), audit.toString());
        assertTrue(audit.stream().anyMatch(e -> e.contains("\"api_key.revoked\"") && e.contains("\"actorKind\":\"api_key\"")),
                audit.toString());
        for (String secret : secrets) {
            String secretPart = secret.substring(secret.length() - 20);
            for (String event : audit) {
                assertFalse(event.contains(secretPart), "a secret is in an audit event: " + event);
            }
            for (String event : credentials) {
                assertFalse(event.contains(secretPart), "a secret is in a credential event: " + event);
            }
        }
    }
}
