package com.fecify.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Token buckets in this instance's memory (Bucket4j). Buckets of callers idle for ten minutes are dropped, so end
 * users cannot grow the map without bound.
 */
final class CallerRateLimits implements RateLimits {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    @Override
    public Duration tryConsume(String caller, double perSecond) {
        return RateLimits.waitOf(bucket(caller, perSecond).tryConsumeAndReturnRemaining(1));
    }

    @Override
    public CompletableFuture<Duration> tryConsumeLeaving(String caller, double perSecond, long reserve) {
        Bucket bucket = bucket(caller, perSecond);
        if (reserve > 0) {
            Duration wait = RateLimits.waitForReserve(bucket.estimateAbilityToConsume(reserve + 1));
            if (wait != null) {
                return CompletableFuture.completedFuture(wait);
            }
        }
        return CompletableFuture.completedFuture(RateLimits.waitOf(bucket.tryConsumeAndReturnRemaining(1)));
    }

    private Bucket bucket(String caller, double perSecond) {
        return buckets.get(
                caller,
                key -> Bucket.builder()
                        .addLimit(RateLimits.bandwidth(perSecond))
                        .build());
    }
}
