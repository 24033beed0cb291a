package dev.parley.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/**
 * What every Parley service shows operators: readiness that covers its database and Kafka, Prometheus metrics,
 * problem+json errors and its OpenAPI document. A service's test extends this, annotated {@code @QuarkusTest}.
 */
public abstract class OperationsEndpointsContract {

    /** The {@code info.title} of the service's OpenAPI document. */
    protected abstract String openApiTitle();

    @Test
    void readinessCoversTheDatabaseAndKafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void metricsArePrometheusText() {
        given().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    @Test
    void errorsAreProblemJson() {
        given().when().get("/no-such-resource")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("not_found"));
    }

    @Test
    void openApiDocumentIsServed() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo(openApiTitle()));
    }
}
