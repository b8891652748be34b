package com.fecify.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

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
        Bucket bucket = buckets.get(
                caller,
                key -> Bucket.builder()
                        .addLimit(RateLimits.bandwidth(perSecond))
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }
}
