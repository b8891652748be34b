package com.fecify.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * A token bucket per caller (Bucket4j), each holding one second's worth of updates and refilled continuously. Kept in
 * memory per instance; buckets of callers idle for ten minutes are dropped, so end users cannot grow it without
 * bound.
 */
final class CallerRateLimits {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    /**
     * Takes one token from {@code caller}'s bucket.
     *
     * @return zero when the update may go on, else how long to wait for the next token
     */
    Duration tryConsume(String caller, double perSecond) {
        Bucket bucket = buckets.get(caller, key -> newBucket(perSecond));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    private static Bucket newBucket(double perSecond) {
        long capacity = Math.max(1, (long) Math.ceil(perSecond));
        // capacity tokens every capacity/perSecond seconds: perSecond tokens a second, refilled one by one
        Duration period = Duration.ofNanos((long) (capacity / perSecond * 1_000_000_000L));
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .build();
    }
}
