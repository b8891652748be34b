package com.fecify.gateway.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Per-caller token buckets, each holding one second's worth of updates and refilled continuously. */
interface RateLimits {

    /**
     * Takes one token from the bucket of {@code caller}.
     *
     * @return zero when the update may go on, else how long until the next token
     */
    Duration tryConsume(String caller, double perSecond);

    /**
     * Takes one token only while {@code reserve} more stay in the bucket, without holding the calling thread.
     *
     * @return zero when taken, else how long until it could be
     */
    CompletableFuture<Duration> tryConsumeLeaving(String caller, double perSecond, long reserve);

    /** The limit for {@code perSecond} updates a second: capacity for one second, refilled token by token. */
    static Bandwidth bandwidth(double perSecond) {
        long capacity = Math.max(1, (long) Math.ceil(perSecond));
        Duration period = Duration.ofNanos((long) (capacity / perSecond * 1_000_000_000L));
        return Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(capacity, period)
                .build();
    }

    /** What a consumption probe says: zero when the token was taken, else the wait for the next. */
    static Duration waitOf(ConsumptionProbe probe) {
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
    }

    /** The wait until {@code reserve} + 1 tokens are there, or null when they are now. */
    static @Nullable Duration waitForReserve(EstimationProbe estimate) {
        return estimate.canBeConsumed() ? null : Duration.ofNanos(Math.max(1, estimate.getNanosToWaitForRefill()));
    }
}
