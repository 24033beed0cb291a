package dev.parley.knowledge.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.parley.knowledge.service.IndexFollower;

/** Not ready to answer searches until the index is built from the database. */
@Readiness
@ApplicationScoped
public class IndexReadiness implements HealthCheck {

    @Inject
    IndexFollower follower;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Knowledge index").status(follower.ready())
                .withData("appliedChange", follower.appliedChange()).build();
    }
}
