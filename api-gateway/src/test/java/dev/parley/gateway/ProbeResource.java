package dev.parley.gateway;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.parley.gateway.security.AuthenticationFilter;
import io.smallrye.common.annotation.Blocking;

/**
 * A /v1 endpoint that only the tests know, standing for the endpoints other modules add: the gateway's security
 * filters must protect it without being told about it. Each POST is one counted effect.
 */
@Path("/v1/test-probe")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ProbeResource {

    public static final AtomicInteger EFFECTS = new AtomicInteger();

    public record Effect(String name, Integer sleepMillis, Boolean fail) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Effect effect, @Context ContainerRequestContext context) throws InterruptedException {
        if (effect.sleepMillis() != null) {
            Thread.sleep(effect.sleepMillis());
        }
        if (Boolean.TRUE.equals(effect.fail())) {
            throw new IllegalStateException("probe failure");
        }
        int number = EFFECTS.incrementAndGet();
        String id = UUID.randomUUID().toString();
        return Response.created(URI.create("/v1/test-probe/" + id))
                .entity(Map.of("id", id, "number", number, "name", effect.name(),
                        "tenant", AuthenticationFilter.caller(context).tenantId()))
                .build();
    }

    @GET
    public Map<String, Object> whoAmI(@Context ContainerRequestContext context) {
        var caller = AuthenticationFilter.caller(context);
        return Map.of("tenant", caller.tenantId(), "scopes", caller.scopes());
    }
}
