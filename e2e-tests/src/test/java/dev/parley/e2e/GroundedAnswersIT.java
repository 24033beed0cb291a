package dev.parley.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The whole path of a knowledge answer: a document added through the gateway is indexed by knowledge-service; a
 * question the bot's intents do not cover is answered from it by dialogue-service, with the document as its source
 * in the message response and in the stored history; a question the knowledge base cannot answer gets the bot's
 * "don't know" fallback with no sources. Also moves the conversation between bot versions through the gateway.
 */
class GroundedAnswersIT {

    static final String BOT_ID = "grounded";
    static final String DONT_KNOW = "Sorry, I don't know that one. Ask me about travelling with us.";
    static final String PETS = """
            # Travelling with pets

            Dogs travel with you on the train for free. A dog must stay on a lead or in a carrier for the whole
            journey. Cats and other small animals travel only in a closed carrier.

            # Bicycles

            Folding bicycles may be taken on any train. Other bicycles need a reservation on long-distance trains.
            """;

    static Stack stack;
    static String documentId;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.get();
        RestAssured.baseURI = stack.gatewayUrl;
        String bot = """
                id: grounded
                name: Rail help
                fallback:
                  responses: [ "%s" ]
                  knowledge: true
                  maxSources: 2
                  tags: [ travel ]
                intents:
                  greeting: { examples: [ "hello", "hi there", "good morning" ], responses: [ "Hello!" ] }
                """.formatted(DONT_KNOW);
        api().contentType("application/yaml").queryParam("publish", true).body(bot.getBytes(StandardCharsets.UTF_8))
                .post("/v1/bots").then().statusCode(201);
        documentId = api().body(Map.of("title", "Travelling with pets and bicycles", "text", PETS,
                "source", "https://rail.example.com/help/pets", "tags", List.of("travel"), "botId", BOT_ID))
                .post("/v1/knowledge/documents").then().statusCode(202).extract().path("documentId");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> "indexed"
                .equals(api().get("/v1/knowledge/documents/" + documentId).then().statusCode(200).extract().path("status")));
        // Warm up: the first query embedding and the new bot's first turn are slow on a loaded machine, and a search
        // slower than the dialogue's 2 s limit would make the bot fall back for that reason instead of the one tested.
        bestSimilarity("hello");
        var warmUp = openSession("warm-up");
        int status = api().body(Map.of("sessionId", warmUp.getString("sessionId"), "text", "hello"))
                .post("/v1/messages").then().extract().statusCode();
        assertTrue(status == 200 || status == 202, "status " + status);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> api()
                .get("/v1/conversations/" + warmUp.getString("conversationId") + "/messages").then().statusCode(200)
                .extract().jsonPath().getList("messages.findAll { it.role == 'bot' }").size() == 1);
    }

    /** The best similarity the knowledge search finds for the bot's documents: what the dialogue decides on. */
    static double bestSimilarity(String question) {
        List<Float> similarities = api().body(Map.of("query", question, "botId", BOT_ID, "tags", List.of("travel")))
                .post("/v1/knowledge/search").then().statusCode(200).extract().jsonPath()
                .getList("results.similarity", Float.class);
        return similarities.stream().mapToDouble(Float::doubleValue).max().orElse(-1);
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + stack.apiKey).contentType("application/json");
    }

    static JsonPath say(String sessionId, String text) {
        return api().body(Map.of("sessionId", sessionId, "text", text)).post("/v1/messages")
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath openSession(String user) {
        return api().body(Map.of("userId", user, "botId", BOT_ID)).post("/v1/sessions").then().statusCode(201)
                .extract().jsonPath();
    }

    @Test
    void answersFromTheIngestedDocumentAndNamesItAsTheSource() {
        var session = openSession("gita");
        String question = "Can my dog travel with me on the train?";
        assertTrue(bestSimilarity(question) >= 0.6);
        var answered = say(session.getString("sessionId"), question);
        assertEquals("fallback", answered.getString("intent.name"));
        String reply = answered.getString("reply");
        assertTrue(reply.contains("Dogs travel with you on the train for free"), reply);
        List<Map<String, Object>> sources = answered.getList("sources");
        assertEquals(1, sources.size(), "sources: " + sources);
        assertEquals(documentId, sources.get(0).get("documentId"));
        assertEquals("Travelling with pets and bicycles", sources.get(0).get("title"));
        assertEquals("https://rail.example.com/help/pets", sources.get(0).get("url"));
        assertTrue(sources.get(0).get("chunkId") != null && sources.get(0).get("snippet") != null, "" + sources);
        assertTrue(((Number) sources.get(0).get("score")).doubleValue() >= 0.6, "" + sources);

        // The stored bot message keeps its sources: the history shows them.
        String conversationId = session.getString("conversationId");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var history = api().get("/v1/conversations/" + conversationId + "/messages").then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> bot = history.getList("messages.findAll { it.role == 'bot' }");
            assertEquals(1, bot.size(), "" + bot);
            assertEquals(documentId, history.getString("messages.find { it.role == 'bot' }.sources[0].documentId"));
        });
    }

    @Test
    void saysItDoesNotKnowWhenTheKnowledgeBaseHasNothingRelevant() {
        var session = openSession("hugo");
        String question = "What is the capital city of Peru?";
        double best = bestSimilarity(question);
        assertTrue(best < 0.6, "the knowledge base has nothing relevant: best similarity " + best);
        var answered = say(session.getString("sessionId"), question);
        assertEquals(DONT_KNOW, answered.getString("reply"));
        assertEquals(List.of(), answered.getList("sources"));
    }

    @Test
    void movesAConversationToAnotherPublishedVersionThroughTheGateway() {
        var session = openSession("ines");
        String conversationId = session.getString("conversationId");
        int status = api().body(Map.of("sessionId", session.getString("sessionId"), "text", "hello"))
                .post("/v1/messages").then().extract().statusCode();
        assertTrue(status == 200 || status == 202, "status " + status);
        // The conversation's dialogue state exists once its first turn is answered.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> api()
                .get("/v1/conversations/" + conversationId + "/dialogue").then().extract().statusCode() == 200);
        int version = api().get("/v1/conversations/" + conversationId + "/dialogue").then().statusCode(200)
                .extract().path("botVersion");
        api().body(Map.of("version", version)).post("/v1/conversations/" + conversationId + "/bot-version").then()
                .statusCode(200).body("botVersion", equalTo(version)).body("botId", equalTo(BOT_ID));
        api().body(Map.of("version", version + 50)).post("/v1/conversations/" + conversationId + "/bot-version")
                .then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("bot_version_not_found"));
        api().body(Map.of("version", 0)).post("/v1/conversations/" + conversationId + "/bot-version").then()
                .statusCode(400).body("code", equalTo("validation_failed"));
    }
}
