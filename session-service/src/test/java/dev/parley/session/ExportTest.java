package dev.parley.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.session.service.RetentionService;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_session"))
class ExportTest {

    @Inject
    DataSource dataSource;
    @Inject
    RetentionService retention;

    /**
     * Writes conversations straight into the database: {@code turns} user messages per conversation, each
     * answered with the given intents in turn, one minute apart, starting at {@code start}.
     */
    void seed(String tenant, String user, int conversations, int turns, List<String> intents, Instant start)
            throws Exception {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            var conversation = c.prepareStatement("""
                    INSERT INTO conversations (id, tenant_id, bot_id, user_id, status, started_at, last_activity_at,
                                               message_count, handoff_at) VALUES (?, ?, 'bot-1', ?, 'active', ?, ?, ?, ?)""");
            var message = c.prepareStatement("""
                    INSERT INTO messages (id, conversation_id, tenant_id, role, text, turn_at, turn_id, position,
                                          in_reply_to, intent_name, intent_confidence, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
            Instant at = start;
            for (int i = 0; i < conversations; i++) {
                UUID id = UUID.randomUUID();
                conversation.setObject(1, id);
                conversation.setString(2, tenant);
                conversation.setString(3, user);
                conversation.setTimestamp(4, Timestamp.from(at));
                conversation.setTimestamp(5, Timestamp.from(at));
                conversation.setInt(6, turns * 2);
                conversation.setTimestamp(7, i == 0 ? Timestamp.from(at) : null);
                conversation.executeUpdate();
                for (int t = 0; t < turns; t++) {
                    UUID turn = UUID.randomUUID();
                    for (int position = 0; position < 2; position++) {
                        message.setObject(1, position == 0 ? turn : UUID.randomUUID());
                        message.setObject(2, id);
                        message.setString(3, tenant);
                        message.setString(4, position == 0 ? "user" : "bot");
                        message.setString(5, position == 0 ? "question, \"" + t + "\"\nof " + user : "answer " + t);
                        message.setTimestamp(6, Timestamp.from(at));
                        message.setObject(7, turn);
                        message.setInt(8, position);
                        message.setObject(9, position == 0 ? null : turn);
                        message.setString(10, position == 0 ? null : intents.get(t % intents.size()));
                        if (position == 0) {
                            message.setNull(11, java.sql.Types.DOUBLE);
                        } else {
                            message.setDouble(11, 0.8);
                        }
                        message.setTimestamp(12, Timestamp.from(at));
                        message.addBatch();
                    }
                    at = at.plus(Duration.ofMinutes(1));
                }
                message.executeBatch();
            }
            c.commit();
        }
    }

    @Test
    void theExportOfAUserWithManyConversationsHoldsEverything() throws Exception {
        String tenant = "tenant-export";
        String user = "many-" + UUID.randomUUID();
        given().contentType("application/json").body(Map.of("attributes", Map.of("plan", "gold", "n", 3)))
                .put("/internal/tenants/" + tenant + "/users/" + user).then().statusCode(201);
        seed(tenant, user, 120, 5, List.of("greeting", "card_arrival"), Instant.now().minus(Duration.ofDays(2)));
        seed(tenant, "someone-else", 2, 1, List.of("greeting"), Instant.now().minus(Duration.ofDays(2)));

        var response = given().get("/internal/tenants/" + tenant + "/users/" + user + "/export").then()
                .statusCode(200).contentType("application/json").extract();
        JsonNode export = Fixtures.JSON.readTree(response.asByteArray());
        assertEquals(user, export.get("userId").asText());
        assertEquals("gold", export.at("/profile/attributes/plan").asText());
        assertEquals(3, export.at("/profile/attributes/n").asInt());
        assertEquals(120, export.get("conversations").size());
        int messages = 0;
        for (JsonNode conversation : export.get("conversations")) {
            messages += conversation.get("messages").size();
            assertEquals("user", conversation.at("/messages/0/role").asText());
            assertEquals("bot", conversation.at("/messages/1/role").asText());
        }
        assertEquals(120 * 5 * 2, messages);
        assertTrue(export.toString().contains("question, \\\"0\\\"\\nof " + user));
        assertTrue(!export.toString().contains("someone-else"));
        given().get("/internal/tenants/other-tenant/users/" + user + "/export").then().statusCode(404);
    }

    @Test
    void analyticsExportsStreamEveryRowAndTheSummaryCountsThem() throws Exception {
        String tenant = "tenant-analytics-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        // 4 conversations x 3 turns, intents greeting, fallback, greeting, one in handoff.
        seed(tenant, "a", 4, 3, List.of("greeting", "fallback", "greeting"), start);
        String range = "from=2026-03-01&to=2026-03-02";

        String ndjson = given().get("/internal/tenants/" + tenant + "/analytics/messages?" + range).then()
                .statusCode(200).contentType("application/x-ndjson").extract().asString();
        var lines = ndjson.strip().split("\n");
        assertEquals(24, lines.length);
        var first = Fixtures.JSON.readTree(lines[0]);
        assertEquals("user", first.get("role").asText());
        assertEquals("a", first.get("userId").asText());
        assertEquals("greeting", Fixtures.JSON.readTree(lines[1]).get("intent").asText());

        String csv = given().get("/internal/tenants/" + tenant + "/analytics/messages?format=csv&" + range).then()
                .statusCode(200).contentType("text/csv").extract().asString();
        assertTrue(csv.startsWith("messageId,conversationId,botId,userId,role,text,intent,confidence,createdAt\r\n"));
        assertTrue(csv.contains(",\"question, \"\"0\"\"\nof a\","), csv.substring(0, 400));

        String conversations = given().get("/internal/tenants/" + tenant + "/analytics/conversations?" + range)
                .then().statusCode(200).extract().asString();
        assertEquals(4, conversations.strip().split("\n").length);
        given().get("/internal/tenants/" + tenant + "/analytics/messages?from=2026-03-02&to=2026-03-03").then()
                .statusCode(200).body(equalTo(""));
        given().get("/internal/tenants/" + tenant + "/analytics/messages?format=xml").then().statusCode(400);
        given().get("/internal/tenants/" + tenant + "/analytics/messages?from=2026-03-02&to=2026-03-01").then()
                .statusCode(400);

        given().get("/internal/tenants/" + tenant + "/analytics/summary?" + range).then().statusCode(200)
                .body("turns", equalTo(12))
                .body("conversations", equalTo(4))
                .body("turnsPerDay[0].day", equalTo("2026-03-01"))
                .body("turnsPerDay[0].turns", equalTo(12))
                .body("topIntents[0].intent", equalTo("greeting"))
                .body("topIntents[0].turns", equalTo(8))
                .body("topIntents[1].intent", equalTo("fallback"))
                .body("fallbackRate", equalTo(0.3333f))
                .body("handoffRate", equalTo(0.25f))
                .body("averageTurnsPerConversation", equalTo(3.0f));
    }

    @Test
    void transcriptsOlderThanTheTenantsRetentionArePurged() throws Exception {
        String keepsLong = "tenant-retention-long-" + UUID.randomUUID();
        String keepsShort = "tenant-retention-short-" + UUID.randomUUID();
        Instant old = Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
        seed(keepsLong, "u", 1, 2, List.of("greeting"), old);
        seed(keepsShort, "u", 1, 2, List.of("greeting"), old);
        seed(keepsShort, "u", 1, 2, List.of("greeting"), Instant.now().minus(Duration.ofDays(1)));
        given().contentType("application/json").body(Map.of("days", 30))
                .put("/internal/tenants/" + keepsShort + "/retention").then().statusCode(200)
                .body("effectiveDays", equalTo(30));
        given().contentType("application/json").body(Map.of("days", -1))
                .put("/internal/tenants/" + keepsShort + "/retention").then().statusCode(400);
        given().get("/internal/tenants/" + keepsLong + "/retention").then().body("effectiveDays", equalTo(0));

        // The scheduled purge may run first; either way the old rows of the short-retention tenant are gone.
        retention.purge(Instant.now());
        try (var c = dataSource.getConnection()) {
            assertEquals(4, dev.parley.testsupport.Sql.count(c,
                    "SELECT count(*) FROM messages WHERE tenant_id = '" + keepsLong + "'"), "default keeps forever");
            assertEquals(4, dev.parley.testsupport.Sql.count(c,
                    "SELECT count(*) FROM messages WHERE tenant_id = '" + keepsShort + "'"), "only the recent ones");
        }
    }
}
