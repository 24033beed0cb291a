package dev.parley.gateway.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.UserService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/conversations")
@Tag(name = "Conversations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConversationListResource {

    @Inject
    UserService users;

    @GET
    @Operation(summary = "List conversations, newest first", description = "Filter by user, status (active, handoff, closed), bot and start time [from, to) as ISO-8601 times or dates. Pass 'next' back as 'cursor' for the following page.")
    public Map<String, Object> list(@QueryParam("userId") @Size(max = 128) String userId,
            @QueryParam("status") @Size(max = 16) String status, @QueryParam("botId") @Size(max = 128) String botId,
            @QueryParam("from") @Size(max = 40) String from, @QueryParam("to") @Size(max = 40) String to,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @Context ContainerRequestContext context) {
        return users.conversations(AuthenticationFilter.caller(context), userId, status, botId, from, to, cursor,
                limit);
    }
}
