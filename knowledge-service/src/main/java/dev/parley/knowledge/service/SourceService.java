package dev.parley.knowledge.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.knowledge.KnowledgeDocument;
import dev.parley.knowledge.UrlSource;
import dev.parley.knowledge.config.KnowledgeConfig;
import dev.parley.knowledge.fetch.FetchFailed;
import dev.parley.knowledge.fetch.FetchPolicy;
import dev.parley.knowledge.fetch.Sitemaps;
import dev.parley.knowledge.fetch.UrlFetcher;
import dev.parley.knowledge.messaging.CommandPublisher;
import dev.parley.knowledge.repository.DocumentRepository;
import dev.parley.knowledge.repository.DocumentRepository.FetchedDocument;
import dev.parley.knowledge.repository.SourceRepository;
import dev.parley.knowledge.repository.Transactions;
import dev.parley.knowledge.rest.KnowledgeApi;

/**
 * URL sources of a tenant. A page becomes one pending document at once; a sitemap is read later by
 * {@link dev.parley.knowledge.fetch.SitemapCrawler}, and each page it lists becomes one document. Either way the
 * pages themselves are downloaded during ingestion (Kafka), off the request thread, each under the SSRF policy.
 * A URL the tenant already has a document for gets a new version of that document rather than a second one.
 */
@ApplicationScoped
public class SourceService {

    private static final Logger LOG = Logger.getLogger(SourceService.class);
    /** Documents listed with a source in the API. */
    static final int VIEW_LIMIT = 1000;
    static final String SITEMAP_ACCEPT = "application/xml, text/xml, application/gzip, text/plain;q=0.5, */*;q=0.1";

    @Inject
    Transactions transactions;
    @Inject
    SourceRepository sources;
    @Inject
    DocumentRepository documents;
    @Inject
    CommandPublisher publisher;
    @Inject
    FetchPolicy policy;
    @Inject
    UrlFetcher fetcher;
    @Inject
    KnowledgeConfig config;

    public KnowledgeApi.SourceView create(String tenantId, KnowledgeApi.SourceInput input) throws SQLException {
        String url = input.url().strip();
        try {
            // At creation as well as at every connection: a refused URL is the caller's error, told at once.
            policy.check(url);
        } catch (FetchFailed refused) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "url: " + refused.getMessage());
        }
        Instant now = Instant.now();
        boolean page = UrlSource.PAGE.equals(input.kind());
        String title = input.title() == null || input.title().isBlank() ? null : input.title().strip();
        List<String> tags = input.tags() == null ? List.of() : input.tags().stream().distinct().toList();
        var source = new UrlSource(UUID.randomUUID(), tenantId, input.botId(), url, input.kind(), title, tags,
                page ? UrlSource.CRAWLED : UrlSource.PENDING, null, page ? 1 : 0, now, now, page ? now : null);
        var created = transactions.run(c -> {
            sources.insert(c, source);
            return page ? documents.upsertFetched(c, List.of(document(source, url)), now) : List.<KnowledgeDocument> of();
        });
        publisher.requestIngestion(created);
        return KnowledgeApi.SourceView.of(source, created);
    }

    public KnowledgeApi.SourceView get(String tenantId, UUID id) throws SQLException {
        return transactions.run(c -> {
            var source = sources.find(c, tenantId, id)
                    .orElseThrow(() -> new ProblemException(ProblemCode.SOURCE_NOT_FOUND, "No URL source " + id));
            return KnowledgeApi.SourceView.of(source, documents.ofSource(c, tenantId, id, VIEW_LIMIT));
        });
    }

    /**
     * Reads a claimed source (a sitemap, or any source due for a periodic re-fetch): every page it lists gets a new
     * pending document or a new version of its document, and ingestion is requested for each.
     */
    public void crawl(UrlSource source) throws SQLException {
        List<String> pages;
        try {
            pages = UrlSource.PAGE.equals(source.kind()) ? List.of(source.url()) : pagesOf(source.url());
        } catch (FetchFailed failed) {
            LOG.infof("URL source %s failed: %s", source.id(), failed.getMessage());
            transactions.run(c -> {
                sources.markFailed(c, source.id(), failed.getMessage(), Instant.now());
                return null;
            });
            return;
        }
        Instant now = Instant.now();
        var batch = pages.stream().map(url -> document(source, url)).toList();
        var created = transactions.run(c -> {
            var stored = batch.isEmpty() ? List.<KnowledgeDocument> of() : documents.upsertFetched(c, batch, now);
            sources.markCrawled(c, source.id(), stored.size(), now);
            return stored;
        });
        publisher.requestIngestion(created);
    }

    /** The pages a sitemap lists (through one level of sitemap index), valid http(s) URLs only, at most the cap. */
    List<String> pagesOf(String sitemapUrl) throws FetchFailed {
        int limit = config.fetch().maxSitemapUrls();
        var root = read(sitemapUrl, limit);
        var pages = new LinkedHashSet<String>();
        if (root.kind() == Sitemaps.Kind.URLSET) {
            addPages(pages, root.locations(), limit);
        } else {
            int read = 0;
            FetchFailed last = null;
            for (String child : root.locations()) {
                if (pages.size() >= limit || read >= config.fetch().maxSitemaps()) {
                    break;
                }
                read++;
                try {
                    var sitemap = read(child, limit - pages.size());
                    if (sitemap.kind() == Sitemaps.Kind.URLSET) {
                        addPages(pages, sitemap.locations(), limit);
                    }
                } catch (FetchFailed failed) {
                    // One unreadable sitemap of an index does not lose the others' pages.
                    LOG.infof("Sitemap %s of index %s skipped: %s", child, sitemapUrl, failed.getMessage());
                    last = failed;
                }
            }
            if (pages.isEmpty() && last != null) {
                throw last;
            }
        }
        return new ArrayList<>(pages);
    }

    private Sitemaps.Sitemap read(String url, int limit) throws FetchFailed {
        policy.checkForm(url);
        var fetched = fetcher.fetch(url, FetchPolicy::sitemapType, SITEMAP_ACCEPT);
        return Sitemaps.parse(fetched.body(), fetched.baseType(), policy.maxBytes(), limit);
    }

    private void addPages(LinkedHashSet<String> pages, List<String> locations, int limit) {
        for (String location : locations) {
            if (pages.size() >= limit) {
                return;
            }
            try {
                if (location.length() <= 2000) {
                    policy.checkForm(location);
                    pages.add(location);
                }
            } catch (FetchFailed invalid) {
                // Not an http(s) URL this service may fetch; every page is checked again when it is fetched.
            }
        }
    }

    private static FetchedDocument document(UrlSource source, String url) {
        return new FetchedDocument(source.tenantId(), source.botId(), url, source.title(), source.tags(), source.id());
    }
}
