package dev.parley.dialogue.llm.credentials;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;

/**
 * Internal API for the gateway: a tenant's language model provider keys. Write-only: a key goes in with PUT and is
 * never returned; the list shows names, providers and dates.
 */
@Path("/internal/tenants/{tenantId}/provider-credentials")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ProviderCredentialResource {

    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    /** The key to store; its {@code toString} never shows it. */
    public record PutCredential(
            @NotNull @Pattern(regexp = "openai|anthropic|gemini|mistral",
                    message = "must be one of openai, anthropic, gemini, mistral") String provider,
            @NotBlank @Size(max = 4096) String apiKey) {

        @Override
        public String toString() {
            return "PutCredential[provider=" + provider + ", apiKey=<redacted>]";
        }
    }

    public record CredentialList(List<ProviderCredential> credentials) {
    }

    @Inject
    ProviderCredentialStore store;

    @GET
    public CredentialList list(@PathParam("tenantId") String tenantId) {
        return new CredentialList(store.list(tenantId));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public void put(@PathParam("tenantId") String tenantId,
            @PathParam("name") @Pattern(regexp = NAME,
                    message = "credential names are 1-64 letters, digits, '.', '_' or '-'") String name,
            @NotNull @Valid PutCredential body) {
        store.put(tenantId, name, body.provider(), body.apiKey().strip());
    }

    @DELETE
    @Path("/{name}")
    public void delete(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        if (!store.delete(tenantId, name)) {
            throw new ProblemException(ProblemCode.NOT_FOUND, "No provider credential " + name);
        }
    }
}
