package dev.parley.gateway.client;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** knowledge-service's internal API. */
@RegisterRestClient(configKey = "knowledge")
@RegisterProvider(DownstreamProblems.class)
@Path("/internal/tenants/{tenantId}")
public interface KnowledgeClient {

    @POST
    @Path("/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    KnowledgeBodies.DocumentView create(@PathParam("tenantId") String tenantId, KnowledgeBodies.DocumentInput input);

    @POST
    @Path("/documents/file")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    KnowledgeBodies.DocumentView upload(@PathParam("tenantId") String tenantId,
            @QueryParam("contentType") String contentType, @QueryParam("filename") String filename,
            @QueryParam("title") String title, @QueryParam("source") String source, @QueryParam("tags") List<String> tags,
            @QueryParam("botId") String botId, byte[] content);

    @PUT
    @Path("/documents/{documentId}")
    @Consumes(MediaType.APPLICATION_JSON)
    KnowledgeBodies.DocumentView update(@PathParam("tenantId") String tenantId,
            @PathParam("documentId") String documentId, KnowledgeBodies.DocumentInput input);

    @PUT
    @Path("/documents/{documentId}/file")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    KnowledgeBodies.DocumentView updateFile(@PathParam("tenantId") String tenantId,
            @PathParam("documentId") String documentId, @QueryParam("contentType") String contentType,
            @QueryParam("filename") String filename, @QueryParam("title") String title,
            @QueryParam("source") String source, @QueryParam("tags") List<String> tags,
            @QueryParam("botId") String botId, byte[] content);

    @GET
    @Path("/documents/{documentId}")
    KnowledgeBodies.DocumentView get(@PathParam("tenantId") String tenantId, @PathParam("documentId") String documentId);

    @GET
    @Path("/documents")
    KnowledgeBodies.DocumentPage list(@PathParam("tenantId") String tenantId, @QueryParam("botId") String botId,
            @QueryParam("tag") String tag, @QueryParam("status") String status, @QueryParam("cursor") String cursor,
            @QueryParam("limit") int limit);

    @DELETE
    @Path("/documents/{documentId}")
    void delete(@PathParam("tenantId") String tenantId, @PathParam("documentId") String documentId);

    @POST
    @Path("/imports")
    @Consumes("application/x-ndjson")
    KnowledgeBodies.ImportAccepted importDocuments(@PathParam("tenantId") String tenantId, String ndjson);

    @GET
    @Path("/imports/{importId}")
    KnowledgeBodies.ImportProgress importProgress(@PathParam("tenantId") String tenantId,
            @PathParam("importId") String importId);

    @POST
    @Path("/sources")
    @Consumes(MediaType.APPLICATION_JSON)
    KnowledgeBodies.SourceView createSource(@PathParam("tenantId") String tenantId, KnowledgeBodies.SourceInput input);

    @GET
    @Path("/sources/{sourceId}")
    KnowledgeBodies.SourceView source(@PathParam("tenantId") String tenantId, @PathParam("sourceId") String sourceId);

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    KnowledgeBodies.SearchResponse search(@PathParam("tenantId") String tenantId, KnowledgeBodies.SearchInput input);
}
