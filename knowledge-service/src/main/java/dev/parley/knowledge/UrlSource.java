package dev.parley.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A URL source: one page, or a sitemap whose pages are documents; status is the crawl's (each page has its own). */
public record UrlSource(UUID id, String tenantId, String botId, String url, String kind, String title,
        List<String> tags, String status, String failureReason, int documentCount, Instant createdAt,
        Instant updatedAt, Instant crawledAt) {

    public static final String PAGE = "page";
    public static final String SITEMAP = "sitemap";

    public static final String PENDING = "pending";
    public static final String CRAWLED = "crawled";
    public static final String FAILED = "failed";
}
