package com.fecify.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A caller's share of updates: the token bucket the security layer keeps for it, for flows that pace themselves. */
public interface RateBucket {

    /** No limit, for callers the gateway does not count. */
    RateBucket UNLIMITED = new RateBucket() {
        @Override
        public Duration tryTake() {
            return Duration.ZERO;
        }

        @Override
        public CompletableFuture<Duration> tryTakeLeaving(long reserve) {
            return CompletableFuture.completedFuture(Duration.ZERO);
        }

        @Override
        public double perSecond() {
            return Double.POSITIVE_INFINITY;
        }
    };

    /**
     * Takes one token, on the request thread (a shared bucket is asked for a bounded time, then this instance's).
     *
     * @return zero when taken, else how long until the next token
     */
    Duration tryTake();

    /**
     * Takes one token for a flow that waits for its tokens (a batch's items) only while {@code reserve} more stay in
     * the bucket, kept for the caller's single updates; never holds a thread.
     *
     * @return zero when taken, else how long until it could be
     */
    CompletableFuture<Duration> tryTakeLeaving(long reserve);

    /** The caller's rate; its bucket holds one second's worth. */
    double perSecond();

    /** How many tokens the bucket holds when full: one second's worth, at least one. */
    default long capacity() {
        return Math.max(1, (long) Math.ceil(perSecond()));
    }
}
