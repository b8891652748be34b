package com.fecify.gateway.security;

import com.fecify.gateway.InvalidConfigurationException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the callers' token buckets live, and how that shows in health and metrics. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    /** Per instance by default; in Redis, shared by every replica, with {@code gateway.rate-limit.redis-url}. */
    @Bean
    RateLimits rateLimits(GatewaySecurityProperties properties, MeterRegistry meters) {
        String redisUrl = properties.rateLimit().redisUrl();
        if (!GatewaySecurityProperties.hasText(redisUrl)) {
            return new CallerRateLimits();
        }
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new InvalidConfigurationException(
                    List.of("GATEWAY_RATE_LIMIT_REDIS_URL (gateway.rate-limit.redis-url)"
                            + " must start with redis:// or rediss://"));
        }
        Duration wait = properties.rateLimit().redisTimeout();
        if (wait.isNegative() || wait.isZero()) {
            throw new InvalidConfigurationException(List.of("GATEWAY_RATE_LIMIT_REDIS_TIMEOUT"
                    + " (gateway.rate-limit.redis-timeout) must be a positive duration, e.g. 50ms"));
        }
        SharedRateLimits shared = new SharedRateLimits(redisUrl, wait, new CallerRateLimits());
        Gauge.builder("fecify.gateway.rate.limit.shared", shared, limits -> limits.isShared() ? 1 : 0)
                .description("1 while rate limits are shared through Redis, 0 while each instance counts alone")
                .register(meters);
        log.info("Rate limits are shared through Redis");
        return shared;
    }

    /** The {@code rateLimits} health component: where the buckets are, and whether Redis is reachable. */
    @Bean
    HealthIndicator rateLimitsHealthIndicator(RateLimits rateLimits) {
        return rateLimits instanceof SharedRateLimits shared
                ? shared::health
                : () -> Health.up().withDetail("buckets", "per instance").build();
    }
}
