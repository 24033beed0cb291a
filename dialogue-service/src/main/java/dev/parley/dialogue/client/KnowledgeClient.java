package dev.parley.dialogue.client;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * knowledge-service's internal search, {@code POST /internal/tenants/{tenantId}/search}: the tenant is a path
 * segment, as for every internal knowledge call. Its base URL is {@code parley.dialogue.knowledge.url}.
 */
@RegisterRestClient(configKey = "knowledge")
@Path("/internal/tenants/{tenantId}")
public interface KnowledgeClient {

    /** The search request: the user's text, the bot (its documents and the tenant-wide ones), required tags. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record SearchInput(String query, String botId, List<String> tags, Integer limit, String mode) {
    }

    /** One passage found, as knowledge-service describes it; {@code similarity} is comparable across queries. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SearchResult(String documentId, String chunkId, String title, String heading, String snippet, String text,
            String source, double score, Double similarity, List<String> tags, String botId, int ordinal) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SearchResponse(List<SearchResult> results) {
        public SearchResponse {
            results = results == null ? List.of() : results;
        }
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    SearchResponse search(@PathParam("tenantId") String tenantId, SearchInput input);
}
