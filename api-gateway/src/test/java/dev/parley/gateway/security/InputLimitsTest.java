package dev.parley.gateway.security;

import static dev.parley.gateway.Keys.ADMIN;
import static dev.parley.gateway.Keys.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.parley.gateway.FakeBackends;
import dev.parley.gateway.ProbeResource;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Hostile bodies are a clear 4xx problem that changes nothing, on any /v1 endpoint. */
@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class, initArgs = @ResourceArg(name = "database", value = "parley_gateway_test"))
@QuarkusTestResource(FakeBackends.class)
class InputLimitsTest {

    @Test
    void deepHugeAndMistypedBodiesAreRefusedBeforeAnythingRuns() {
        int before = ProbeResource.EFFECTS.get();
        as(ADMIN).body("{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}").post("/v1/test-probe").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"))
                .body("detail", containsString("deeper than 20"));
        as(ADMIN).body("{\"sessionId\":\"s\",\"text\":\"t\",\"metadata\":" + "{\"a\":".repeat(25) + "1" + "}".repeat(25) + "}")
                .post("/v1/messages").then().statusCode(400).body("detail", containsString("deeper than 20"));
        as(ADMIN).body("{\"name\":\"" + "x".repeat(70_000) + "\"}").post("/v1/test-probe").then().statusCode(413)
                .contentType("application/problem+json");
        as(ADMIN).body("{\"name\": 1" + "0".repeat(100) + "}").post("/v1/test-probe").then().statusCode(400)
                .contentType("application/problem+json");
        as(ADMIN).body("{\"name\":").post("/v1/test-probe").then().statusCode(400).body("code", equalTo("malformed_json"));
        as(ADMIN).body("{\"userId\": 42}").post("/v1/sessions").then().statusCode(400).body("code", equalTo("validation_failed"));
        as(ADMIN).body("{\"userId\": \"' OR 1=1 --\"}").post("/v1/sessions").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("userId"));
        as(ADMIN).body("{\"sessionId\": \"s\", \"text\": \"" + "y".repeat(4001) + "\"}").post("/v1/messages").then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("text"));
        assertEquals(before, ProbeResource.EFFECTS.get());
    }
}
