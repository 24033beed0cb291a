package dev.parley.session;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.parley.common.Topics;
import dev.parley.common.events.BotMessage;
import dev.parley.common.events.BotReply;
import dev.parley.common.events.Intent;
import dev.parley.common.events.KnowledgeSource;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The knowledge sources of a bot reply are stored with the turn's last bot message and shown in the history. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_session"))
class TranscriptSourcesTest {

    @Test
    void theHistoryShowsTheSourcesOfAGroundedAnswer() {
        String tenant = "t-sources";
        var session = Fixtures.openSession(tenant, "u-sources", null);
        String userMessage = Fixtures.userMessage(session, tenant, "can my dog come on the train?", null);
        var source = new KnowledgeSource("doc-1", "doc-1:0", "Travelling with pets",
                "Dogs travel with you on the train for free.", "https://rail.example.com/pets", 0.81);
        var reply = new BotReply(userMessage, tenant, "bot-1", session.getString("conversationId"),
                session.getString("sessionId"), session.getString("userId"), Fixtures.now(),
                List.of(new BotMessage(UUID.randomUUID().toString(), "Here is what I found."),
                        new BotMessage(UUID.randomUUID().toString(), "Dogs travel with you on the train for free. [1]")),
                new Intent("fallback", 0.9), List.of(), List.of(), Map.of("generatedBy", "knowledge+local:extractive"),
                Fixtures.now(), List.of(source));
        Fixtures.send(Topics.REPLIES, reply.conversationId(), reply);

        String path = "/internal/tenants/" + tenant + "/conversations/" + session.getString("conversationId")
                + "/messages";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> given().get(path)
                .then().statusCode(200).extract().jsonPath().getList("messages").size() == 3);
        var history = given().get(path).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("user", "bot", "bot"), history.getList("messages.role"));
        assertNull(history.get("messages[0].sources"));
        assertNull(history.get("messages[1].sources"), "the sources go with the turn's last message only");
        assertEquals("doc-1", history.getString("messages[2].sources[0].documentId"));
        assertEquals("doc-1:0", history.getString("messages[2].sources[0].chunkId"));
        assertEquals("Travelling with pets", history.getString("messages[2].sources[0].title"));
        assertEquals("https://rail.example.com/pets", history.getString("messages[2].sources[0].url"));
        assertEquals(0.81, history.getDouble("messages[2].sources[0].score"), 1e-6);
        assertEquals("knowledge+local:extractive", history.getString("messages[2].metadata.generatedBy"));
    }
}
