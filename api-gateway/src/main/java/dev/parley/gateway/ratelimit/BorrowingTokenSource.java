package dev.parley.gateway.ratelimit;

import io.github.bucket4j.Bucket;

/**
 * A replica's share of a bucket kept in PostgreSQL: it borrows up to {@code batch} tokens at a time and serves
 * requests from them, so the database is asked once per batch rather than once per request. The price: tokens a
 * replica borrowed and did not use are lost to the others until the bucket refills, so under a limit a tenant may
 * get up to (batch - 1) x replicas fewer requests than its quota, never more.
 */
final class BorrowingTokenSource implements TokenSource {

    private final Bucket remote;
    private final Limits.Limit limit;
    private final long batch;
    private long allowance;
    private long remoteRemaining;

    BorrowingTokenSource(Bucket remote, Limits.Limit limit, int batch) {
        this.remote = remote;
        this.limit = limit;
        this.batch = Math.max(1, Math.min(batch, limit.capacity()));
    }

    @Override
    public synchronized Take take() {
        if (allowance == 0) {
            var borrowed = remote.asVerbose().tryConsumeAsMuchAsPossible(batch);
            allowance = borrowed.getValue();
            remoteRemaining = borrowed.getDiagnostics().getAvailableTokens();
            if (allowance == 0) {
                long wait = remote.estimateAbilityToConsume(1).getNanosToWaitForRefill();
                return new Take(false, 0, wait, borrowed.getDiagnostics().calculateFullRefillingTime());
            }
        }
        allowance--;
        return new Take(true, remoteRemaining + allowance, 0, 0);
    }

    @Override
    public synchronized void giveBack() {
        allowance++;
    }

    @Override
    public Limits.Limit limit() {
        return limit;
    }
}
