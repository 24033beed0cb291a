package dev.parley.gateway.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.KnowledgeBodies;
import dev.parley.gateway.security.AuthenticationFilter;
import dev.parley.gateway.service.KnowledgeService;
import io.smallrye.common.annotation.Blocking;

@Path("/v1/knowledge")
@Tag(name = "Knowledge")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class KnowledgeResource {

    @Inject
    KnowledgeService knowledge;

    @POST
    @Path("/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a document", description = "202 with status 'pending': the document is parsed, chunked, embedded and indexed asynchronously; GET it to see 'indexed' or 'failed' with the reason. Needs the scope knowledge:manage.")
    public Response create(@NotNull @Valid KnowledgeBodies.DocumentInput input, @Context ContainerRequestContext context) {
        var document = knowledge.create(AuthenticationFilter.caller(context), input);
        return Response.accepted(document).location(URI.create("/v1/knowledge/documents/" + document.documentId())).build();
    }

    @POST
    @Path("/documents")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Add a document from a file", description = "Form fields: file (text, Markdown, HTML, PDF or DOCX), and optional title (default: the file name), source, tags (repeated), botId.")
    public Response upload(@RestForm("file") FileUpload file, @RestForm String title, @RestForm String source,
            @RestForm List<String> tags, @RestForm String botId, @Context ContainerRequestContext context) {
        var document = knowledge.upload(AuthenticationFilter.caller(context), null, upload(file, title, source, tags, botId));
        return Response.accepted(document).location(URI.create("/v1/knowledge/documents/" + document.documentId())).build();
    }

    @GET
    @Path("/documents")
    @Operation(summary = "List documents, newest first, with an opaque cursor to the next page")
    public KnowledgeBodies.DocumentPage list(@QueryParam("botId") @Size(max = 128) String botId,
            @QueryParam("tag") @Size(max = 64) String tag,
            @QueryParam("status") @Pattern(regexp = "pending|indexed|failed", message = "must be pending, indexed or failed") String status,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit, @Context ContainerRequestContext context) {
        return knowledge.list(AuthenticationFilter.caller(context), botId, tag, status, cursor, limit);
    }

    @GET
    @Path("/documents/{documentId}")
    @Operation(summary = "A document and its ingestion status (pending, indexed, failed with failureReason)")
    public KnowledgeBodies.DocumentView get(@PathParam("documentId") @Size(max = 64) String documentId,
            @Context ContainerRequestContext context) {
        return knowledge.get(AuthenticationFilter.caller(context), documentId);
    }

    @PUT
    @Path("/documents/{documentId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a document with a new version", description = "The previous version stays searchable until the new one is indexed, then disappears from every replica.")
    public Response update(@PathParam("documentId") @Size(max = 64) String documentId,
            @NotNull @Valid KnowledgeBodies.DocumentInput input, @Context ContainerRequestContext context) {
        return Response.accepted(knowledge.update(AuthenticationFilter.caller(context), documentId, input)).build();
    }

    @PUT
    @Path("/documents/{documentId}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Replace a document with a new version from a file")
    public Response updateFile(@PathParam("documentId") @Size(max = 64) String documentId,
            @RestForm("file") FileUpload file, @RestForm String title, @RestForm String source,
            @RestForm List<String> tags, @RestForm String botId, @Context ContainerRequestContext context) {
        return Response.accepted(knowledge.upload(AuthenticationFilter.caller(context), documentId,
                upload(file, title, source, tags, botId))).build();
    }

    @DELETE
    @Path("/documents/{documentId}")
    @Operation(summary = "Delete a document and its chunks from the database and every search replica")
    public Response delete(@PathParam("documentId") @Size(max = 64) String documentId,
            @Context ContainerRequestContext context) {
        knowledge.delete(AuthenticationFilter.caller(context), documentId);
        return Response.noContent().build();
    }

    @POST
    @Path("/imports")
    @Consumes({ "application/x-ndjson", "application/jsonl" })
    @Operation(summary = "Bulk import: NDJSON, one document ({title, text, source?, tags?, botId?}) per line", description = "Every line valid or nothing is stored. 202 with the import id; GET /v1/knowledge/imports/{importId} for progress.")
    public Response importDocuments(String ndjson, @Context ContainerRequestContext context) {
        var accepted = knowledge.importDocuments(AuthenticationFilter.caller(context), ndjson == null ? "" : ndjson);
        return Response.accepted(accepted).location(URI.create("/v1/knowledge/imports/" + accepted.importId())).build();
    }

    @GET
    @Path("/imports/{importId}")
    @Operation(summary = "Progress of a bulk import: how many documents are pending, indexed, failed")
    public KnowledgeBodies.ImportProgress importProgress(@PathParam("importId") @Size(max = 64) String importId,
            @Context ContainerRequestContext context) {
        return knowledge.importProgress(AuthenticationFilter.caller(context), importId);
    }

    @POST
    @Path("/sources")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a URL source: a web page, or a sitemap whose pages become documents", description = "202 with the source id: a page's document is in the answer (pending); a sitemap is read asynchronously and GET /v1/knowledge/sources/{sourceId} lists its documents, each pending, indexed or failed with the reason (blocked_address, http_404, ...). URLs that resolve to loopback, private, link-local, CGNAT or cloud-metadata addresses are refused, now and at every connection and redirect. A URL that already has a document gets a new version of it. Needs the scope knowledge:manage.")
    public Response createSource(@NotNull @Valid KnowledgeBodies.SourceInput input, @Context ContainerRequestContext context) {
        var source = knowledge.createSource(AuthenticationFilter.caller(context), input);
        return Response.accepted(source).location(URI.create("/v1/knowledge/sources/" + source.sourceId())).build();
    }

    @GET
    @Path("/sources/{sourceId}")
    @Operation(summary = "A URL source: its crawl status and its documents with their statuses")
    public KnowledgeBodies.SourceView source(@PathParam("sourceId") @Size(max = 64) String sourceId,
            @Context ContainerRequestContext context) {
        return knowledge.source(AuthenticationFilter.caller(context), sourceId);
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search the knowledge base", description = "Hybrid retrieval (BM25 and embeddings, fused by reciprocal rank) over indexed chunks, filtered by bot and tags.")
    public KnowledgeBodies.SearchResponse search(@NotNull @Valid KnowledgeBodies.SearchInput input,
            @Context ContainerRequestContext context) {
        return knowledge.search(AuthenticationFilter.caller(context), input);
    }

    private static KnowledgeService.Upload upload(FileUpload file, String title, String source, List<String> tags,
            String botId) {
        if (file == null) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "file: required");
        }
        try {
            return new KnowledgeService.Upload(Files.readAllBytes(file.uploadedFile()), file.contentType(),
                    file.fileName(), title, source, tags == null ? List.of() : tags, botId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
