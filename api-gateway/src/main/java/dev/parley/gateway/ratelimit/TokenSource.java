package dev.parley.gateway.ratelimit;

/** Where one bucket's tokens come from: a bucket in this JVM, or one shared by every replica. */
public interface TokenSource {

    /** What taking one token found. */
    record Take(boolean taken, long remaining, long nanosToRefill, long nanosToFull) {
    }

    Take take();

    /** Returns a token taken for a request that another bucket then refused. */
    void giveBack();

    /** The limit this source was built for; a changed tenant setting replaces the source. */
    Limits.Limit limit();
}
