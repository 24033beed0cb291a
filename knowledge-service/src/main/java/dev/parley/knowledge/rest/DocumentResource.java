package dev.parley.knowledge.rest;

import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.knowledge.service.DocumentService;
import dev.parley.knowledge.service.SourceService;
import io.smallrye.common.annotation.Blocking;

/** Internal API: a tenant's knowledge documents. The gateway calls it with the caller's tenant. */
@Path("/internal/tenants/{tenantId}")
@Tag(name = "Knowledge documents")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DocumentResource {

    @Inject
    DocumentService service;
    @Inject
    SourceService sources;

    @POST
    @Path("/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a document from JSON text; 202 while it is ingested")
    public Response create(@PathParam("tenantId") String tenantId, @Valid @NotNull KnowledgeApi.DocumentInput input)
            throws SQLException {
        var document = service.create(tenantId, input);
        return Response.accepted(KnowledgeApi.DocumentView.of(document))
                .location(URI.create("documents/" + document.id())).build();
    }

    @POST
    @Path("/documents/file")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Add a document from a file (text, Markdown, HTML, PDF, DOCX); the body is the file", description = "The file's media type is the contentType parameter, else the Content-Type header; application/octet-stream means: detect it from the bytes and the file name.")
    public Response createFile(@PathParam("tenantId") String tenantId, byte[] content,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @QueryParam("contentType") String declaredType,
            @QueryParam("filename") @Size(max = 300) String filename,
            @QueryParam("title") String title, @QueryParam("source") String source, @QueryParam("tags") List<String> tags,
            @QueryParam("botId") String botId) throws SQLException {
        var document = service.createFile(tenantId, new DocumentService.FileInput(content,
                declaredType != null ? declaredType : contentType, filename, title, source, tags, botId));
        return Response.accepted(KnowledgeApi.DocumentView.of(document))
                .location(URI.create("documents/" + document.id())).build();
    }

    @GET
    @Path("/documents")
    @Operation(summary = "A page of documents, newest first")
    public KnowledgeApi.DocumentPage list(@PathParam("tenantId") String tenantId,
            @QueryParam("botId") @Size(max = 128) String botId, @QueryParam("tag") @Size(max = 64) String tag,
            @QueryParam("status") @Pattern(regexp = "pending|indexed|failed", message = "must be pending, indexed or failed") String status,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) throws SQLException {
        return service.list(tenantId, botId, tag, status, cursor, limit);
    }

    @GET
    @Path("/documents/{documentId}")
    @Operation(summary = "A document and its ingestion status")
    public KnowledgeApi.DocumentView get(@PathParam("tenantId") String tenantId,
            @PathParam("documentId") String documentId) throws SQLException {
        return KnowledgeApi.DocumentView.of(service.get(tenantId, id(documentId)));
    }

    @PUT
    @Path("/documents/{documentId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a document with a new version; the old one stays searchable until the new one is indexed")
    public Response update(@PathParam("tenantId") String tenantId, @PathParam("documentId") String documentId,
            @Valid @NotNull KnowledgeApi.DocumentInput input) throws SQLException {
        return Response.accepted(KnowledgeApi.DocumentView.of(service.update(tenantId, id(documentId), input))).build();
    }

    @PUT
    @Path("/documents/{documentId}/file")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace a document with a new version from a file")
    public Response updateFile(@PathParam("tenantId") String tenantId, @PathParam("documentId") String documentId,
            byte[] content, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("contentType") String declaredType,
            @QueryParam("filename") @Size(max = 300) String filename, @QueryParam("title") String title,
            @QueryParam("source") String source, @QueryParam("tags") List<String> tags, @QueryParam("botId") String botId)
            throws SQLException {
        var document = service.updateFile(tenantId, id(documentId), new DocumentService.FileInput(content,
                declaredType != null ? declaredType : contentType, filename, title, source, tags, botId));
        return Response.accepted(KnowledgeApi.DocumentView.of(document)).build();
    }

    @DELETE
    @Path("/documents/{documentId}")
    @Operation(summary = "Delete a document: gone from the database and from every replica's index")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("documentId") String documentId)
            throws SQLException {
        service.delete(tenantId, id(documentId));
        return Response.noContent().build();
    }

    @POST
    @Path("/imports")
    @Consumes({ "application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN })
    @Operation(summary = "Bulk import: one JSON document per line; every line valid or nothing stored")
    public Response importDocuments(@PathParam("tenantId") String tenantId, String body) throws SQLException {
        var accepted = service.importNdjson(tenantId, body == null ? "" : body);
        return Response.accepted(accepted).location(URI.create("imports/" + accepted.importId())).build();
    }

    @GET
    @Path("/imports/{importId}")
    @Operation(summary = "Progress of a bulk import")
    public KnowledgeApi.ImportProgress importProgress(@PathParam("tenantId") String tenantId,
            @PathParam("importId") String importId) throws SQLException {
        try {
            return service.importProgress(tenantId, UUID.fromString(importId));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.IMPORT_NOT_FOUND, "No import " + importId);
        }
    }

    @POST
    @Path("/sources")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a URL source: a page, or a sitemap whose pages become documents; 202 while they are fetched",
            description = "The URL must pass the SSRF policy now and at every connection (redirects included). A page's document is in the answer, pending; a sitemap's documents appear once it is read (GET the source). A URL the tenant already has a document for gets a new version of it.")
    public Response createSource(@PathParam("tenantId") String tenantId, @Valid @NotNull KnowledgeApi.SourceInput input)
            throws SQLException {
        var source = sources.create(tenantId, input);
        return Response.accepted(source).location(URI.create("sources/" + source.sourceId())).build();
    }

    @GET
    @Path("/sources/{sourceId}")
    @Operation(summary = "A URL source, its crawl status and its documents with their statuses")
    public KnowledgeApi.SourceView source(@PathParam("tenantId") String tenantId,
            @PathParam("sourceId") String sourceId) throws SQLException {
        try {
            return sources.get(tenantId, UUID.fromString(sourceId));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.SOURCE_NOT_FOUND, "No URL source " + sourceId);
        }
    }

    @DELETE
    @Path("/knowledge")
    @Operation(summary = "Erase every document of the tenant, everywhere")
    public KnowledgeApi.Erased erase(@PathParam("tenantId") String tenantId) throws SQLException {
        return new KnowledgeApi.Erased(tenantId, service.eraseTenant(tenantId));
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hybrid search (BM25 + vectors, reciprocal rank fusion) over the tenant's indexed chunks",
            description = "Each result carries what a grounded answer needs: the chunk's text and best snippet, its document's id, title and source, and the cosine similarity to tell relevant from not.")
    public KnowledgeApi.SearchResponse search(@PathParam("tenantId") String tenantId,
            @Valid @NotNull KnowledgeApi.SearchInput input) {
        return new KnowledgeApi.SearchResponse(service.search(tenantId, input));
    }

    private static UUID id(String documentId) {
        try {
            return UUID.fromString(documentId);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.DOCUMENT_NOT_FOUND, "No knowledge document " + documentId);
        }
    }
}
