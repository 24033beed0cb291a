package dev.parley.knowledge;

import dev.parley.testsupport.OperationsEndpointsContract;
import dev.parley.testsupport.ParleyTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ParleyTestResources.class,
        initArgs = @ResourceArg(name = "database", value = "parley_knowledge"))
class HealthTest extends OperationsEndpointsContract {

    @Override
    protected String openApiTitle() {
        return "Parley knowledge-service (internal)";
    }
}
