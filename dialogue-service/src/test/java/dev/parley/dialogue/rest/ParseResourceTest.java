package dev.parley.dialogue.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.parley.dialogue.service.BotRegistry;
import dev.parley.dialogue.service.NluService;
import dev.parley.dialogue.service.NluTestBots;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_dialogue"))
class ParseResourceTest {

    static final String TENANT = "t-parse";
    static final String PATH = "/internal/tenants/{tenant}/bots/{bot}/parse";

    @Inject
    BotRegistry registry;
    @Inject
    NluService nlu;

    @BeforeEach
    void installBot() throws Exception {
        NluTestBots.installAndTrain(registry, nlu, TENANT);
    }

    @Test
    void ranksIntentsWithCalibratedConfidence() {
        var body = given().contentType(ContentType.JSON).body(Map.of("text", "My card still hasn't arrived, it's been two weeks"))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(200)
                .body("botId", equalTo(NluTestBots.BOT_ID))
                .body("intent.name", equalTo("card_arrival"))
                .body("outOfScope", equalTo(false))
                .body("intents", hasSize(10))
                .body("model.engine", equalTo("classifier"))
                .body("model.embedding", equalTo("bge-small-en-v15-q"))
                .body("model.stage", equalTo("ready"))
                .body("model.outOfScopeMeasure", equalTo("mahalanobis"))
                .body("latencyMillis", greaterThan(0f))
                .extract().jsonPath();
        List<Float> confidences = body.getList("intents.confidence", Float.class);
        for (int i = 1; i < confidences.size(); i++) {
            assertTrue(confidences.get(i) <= confidences.get(i - 1), "ranked best first: " + confidences);
        }
        assertTrue(confidences.get(0) > 0.5f, "confident: " + confidences.get(0));
        assertTrue(body.getFloat("outOfScopeScore") <= body.getFloat("model.outOfScopeThreshold"));
        assertTrue(confidences.stream().mapToDouble(Float::doubleValue).sum() <= 1.0001);
    }

    @Test
    void flagsTextsThatMatchNoIntent() {
        for (String text : List.of("what's the weather going to be like in paris tomorrow",
                "give me a recipe for vegetable lasagne", "who won the premier league last season")) {
            var body = given().contentType(ContentType.JSON).body(Map.of("text", text))
                    .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                    .then().statusCode(200)
                    .body("outOfScope", equalTo(true))
                    .extract().jsonPath();
            assertTrue(body.getFloat("outOfScopeScore") > body.getFloat("model.outOfScopeThreshold"), text);
        }
    }

    @Test
    void extractsBuiltInAndBotEntities() {
        var entities = given().contentType(ContentType.JSON)
                .body(Map.of("text", "I paid £20.50 with my online card for ORD-123456 and got charged twice"))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(200)
                .extract().jsonPath().getList("entities", Map.class);
        assertEquals(3, entities.size(), entities.toString());
        assertEquals("amount-of-money", entities.get(0).get("entity"));
        assertEquals("20.5", entities.get(0).get("value"));
        assertEquals("GBP", entities.get(0).get("unit"));
        assertEquals("card_type", entities.get(1).get("entity"));
        assertEquals("virtual", entities.get(1).get("value"));
        assertEquals("order_id", entities.get(2).get("entity"));
        assertEquals("123456", entities.get(2).get("value"));
    }

    @Test
    void parsesWithARequestedVersion() {
        given().contentType(ContentType.JSON).body(Map.of("text", "I lost my card", "version", 1))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(200).body("version", equalTo(1)).body("intent.name", equalTo("lost_or_stolen_card"));
        given().contentType(ContentType.JSON).body(Map.of("text", "I lost my card", "version", 99))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("bot_not_found"));
    }

    @Test
    void refusesBadInputWithAClearProblem() {
        given().contentType(ContentType.JSON).body(Map.of("text", "  "))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body(Map.of("text", "x".repeat(ParseResource.MAX_TEXT + 1)))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body(Map.of("text", "hi", "version", 0))
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body("{\"text\": ")
                .when().post(PATH, TENANT, NluTestBots.BOT_ID)
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anotherTenantsBotIsNotFound() {
        given().contentType(ContentType.JSON).body(Map.of("text", "I lost my card"))
                .when().post(PATH, "t-someone-else", NluTestBots.BOT_ID)
                .then().statusCode(404).body("code", equalTo("bot_not_found"));
    }
}
