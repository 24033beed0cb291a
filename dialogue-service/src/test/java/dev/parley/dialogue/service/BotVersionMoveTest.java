package dev.parley.dialogue.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.common.events.BotReply;
import dev.parley.common.events.InboundMessage;
import dev.parley.dialogue.BotDefinition;
import dev.parley.dialogue.repository.BotRepository;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A conversation stays on the bot version it started with when a new version is published, and moves to another
 * published version only when asked; a draft, a missing version or an unknown conversation is refused.
 */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
class BotVersionMoveTest {

    static final String TENANT = "t-versions";
    static final String BOT = "versioned";

    @Inject
    BotRegistry registry;
    @Inject
    BotRepository bots;
    @Inject
    NluService nlu;
    @Inject
    DialogueService dialogue;
    @Inject
    ObjectMapper json;

    private BotDefinition version(String greeting) throws Exception {
        return json.readValue("""
                {"id": "%s", "intents": {
                  "greeting": {"examples": ["hello", "hi there", "good morning"], "responses": ["%s"]},
                  "goodbye": {"examples": ["bye", "goodbye", "see you later"], "responses": ["Bye!"]}}}
                """.formatted(BOT, greeting), BotDefinition.class);
    }

    private BotReply say(String conversationId, String text) throws Exception {
        var message = new InboundMessage(UUID.randomUUID().toString(), TENANT, BOT, conversationId, "s-1", "u-1",
                text, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return dialogue.handleAndAnnounce(message);
    }

    private io.restassured.response.ValidatableResponse move(String conversationId, Object body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/internal/tenants/{tenant}/conversations/{id}/bot-version", TENANT, conversationId).then();
    }

    @Test
    void staysOnItsStartVersionAfterAPublishAndMovesWhenAsked() throws Exception {
        int first = registry.publish(TENANT, version("Hello from the first version"));
        nlu.awaitIdle(2, TimeUnit.MINUTES);
        var conversation = UUID.randomUUID().toString();
        var reply = say(conversation, "hello");
        assertEquals(first, reply.metadata().get("botVersion"));
        assertEquals("Hello from the first version", reply.messages().get(0).text());

        int second = registry.publish(TENANT, version("Hello from the second version"));
        nlu.awaitIdle(2, TimeUnit.MINUTES);
        reply = say(conversation, "hello");
        assertEquals(first, reply.metadata().get("botVersion"), "a publish does not move a running conversation");
        assertEquals("Hello from the first version", reply.messages().get(0).text());
        var fresh = UUID.randomUUID().toString();
        assertEquals(second, say(fresh, "hello").metadata().get("botVersion"), "a new conversation starts on it");

        int draft = bots.save(TENANT, BOT, json.writeValueAsString(version("Hello from a draft")), false);
        move(conversation, Map.of("version", draft)).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("bot_version_not_published"));
        move(conversation, Map.of("version", draft + 10)).statusCode(404)
                .body("code", equalTo("bot_version_not_found"));
        move(UUID.randomUUID().toString(), Map.of("version", second)).statusCode(404)
                .body("code", equalTo("conversation_not_found"));
        move(conversation, Map.of("version", 0)).statusCode(400).body("code", equalTo("validation_failed"));
        move(conversation, Map.of()).statusCode(400).body("code", equalTo("validation_failed"));
        reply = say(conversation, "hello");
        assertEquals(first, reply.metadata().get("botVersion"), "a refused move changes nothing");

        move(conversation, Map.of("version", second)).statusCode(200).body("botId", equalTo(BOT))
                .body("botVersion", equalTo(second)).body("previousVersion", equalTo(first));
        reply = say(conversation, "hello");
        assertEquals(second, reply.metadata().get("botVersion"));
        assertEquals("Hello from the second version", reply.messages().get(0).text());
        // The state the API shows agrees, and the turn count went on.
        var state = dialogue.describe(TENANT, UUID.fromString(conversation)).orElseThrow();
        assertEquals(second, state.get("botVersion"));
        assertEquals(4, state.get("turns"));
        // Another tenant cannot move it.
        given().contentType(ContentType.JSON).body(Map.of("version", first))
                .post("/internal/tenants/{tenant}/conversations/{id}/bot-version", "t-other", conversation).then()
                .statusCode(404).body("code", equalTo("conversation_not_found"));
    }
}
