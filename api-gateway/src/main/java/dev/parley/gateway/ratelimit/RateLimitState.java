package dev.parley.gateway.ratelimit;

import java.util.List;

/**
 * The outcome of one request's check: whether it may run and, for each policy (key, tenant), its quota, window,
 * remaining tokens and seconds until it is full again, as the RateLimit headers report them.
 */
public record RateLimitState(boolean allowed, long retryAfterSeconds, List<Policy> policies) {

    public record Policy(String name, long quota, long windowSeconds, long remaining, long resetSeconds) {
    }

    /** {@code RateLimit-Policy} (draft-ietf-httpapi-ratelimit-headers, structured fields). */
    public String policyHeader() {
        var header = new StringBuilder();
        for (var policy : policies) {
            if (!header.isEmpty()) {
                header.append(", ");
            }
            header.append('"').append(policy.name()).append("\";q=").append(policy.quota()).append(";w=")
                    .append(policy.windowSeconds());
        }
        return header.toString();
    }

    /** {@code RateLimit}: remaining tokens and seconds until each bucket is full. */
    public String stateHeader() {
        var header = new StringBuilder();
        for (var policy : policies) {
            if (!header.isEmpty()) {
                header.append(", ");
            }
            header.append('"').append(policy.name()).append("\";r=").append(Math.max(0, policy.remaining()))
                    .append(";t=").append(policy.resetSeconds());
        }
        return header.toString();
    }
}
