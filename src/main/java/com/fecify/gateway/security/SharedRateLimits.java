package com.fecify.gateway.security;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;

/**
 * Token buckets in Redis (Bucket4j's Lettuce integration, compare-and-swap), so that every replica takes from the same
 * bucket. When Redis cannot be reached the gateway keeps serving with this instance's own buckets, says so in the log
 * and in the {@code rateLimits} health component, and tries Redis again every few seconds.
 */
final class SharedRateLimits implements RateLimits, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SharedRateLimits.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
    private static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(3);
    private static final String KEY_PREFIX = "fecify-gateway:rate:";

    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final RateLimits local;
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile @Nullable LettuceBasedProxyManager<byte[]> buckets;
    private volatile long retryRedisAtNanos;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean shared;
    private volatile @Nullable String lastProblem;

    SharedRateLimits(String redisUrl, RateLimits local) {
        this.uri = RedisURI.create(redisUrl);
        uri.setTimeout(REDIS_TIMEOUT);
        this.where = uri.getHost() + ":" + uri.getPort();
        this.local = local;
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(REDIS_TIMEOUT))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofMillis(500))
                        .build())
                .build());
        connectInBackground();
    }

    @Override
    public Duration tryConsume(String caller, double perSecond) {
        LettuceBasedProxyManager<byte[]> shared = buckets;
        if (shared == null) {
            connectInBackground();
        } else if (System.nanoTime() - retryRedisAtNanos >= 0) {
            try {
                ConsumptionProbe probe = shared.builder()
                        .build(
                                (KEY_PREFIX + caller).getBytes(StandardCharsets.UTF_8),
                                () -> BucketConfiguration.builder()
                                        .addLimit(RateLimits.bandwidth(perSecond))
                                        .build())
                        .tryConsumeAndReturnRemaining(1);
                backOnRedis();
                return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
            } catch (RuntimeException e) {
                onRedisFailure(e);
            }
        }
        return local.tryConsume(caller, perSecond);
    }

    /**
     * Opens the connection off the request threads, one attempt at a time and at most one every few seconds; until
     * it is open the local buckets answer. Once open, Lettuce reconnects by itself.
     */
    private void connectInBackground() {
        if (System.nanoTime() - retryRedisAtNanos < 0 || !connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((opened, failure) -> {
            if (failure != null) {
                onRedisFailure(failure);
            } else {
                connection = opened;
                buckets = Bucket4jLettuce.casBasedBuilder(opened)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                Duration.ofSeconds(10)))
                        .build();
                backOnRedis();
            }
            connecting.set(false);
        });
    }

    private void onRedisFailure(Throwable e) {
        retryRedisAtNanos = System.nanoTime() + RETRY_REDIS_AFTER.toNanos();
        boolean news = shared || lastProblem == null;
        lastProblem = e.getClass().getSimpleName();
        if (news) {
            shared = false;
            log.warn(
                    "Redis at {} cannot be reached ({}): rate limits are per instance until it is back",
                    where,
                    lastProblem);
        }
    }

    private void backOnRedis() {
        if (!shared) {
            shared = true;
            log.info("Redis at {} is back: rate limits are shared again", where);
        }
    }

    /** Whether the buckets in use are the shared ones (for the health component and the gauge). */
    boolean isShared() {
        return shared;
    }

    /** For the {@code rateLimits} health component. */
    Health health() {
        Health.Builder health = Health.up().withDetail("redis", where);
        if (shared) {
            return health.withDetail("buckets", "shared (redis)").build();
        }
        String problem = lastProblem;
        return health.withDetail(
                        "buckets",
                        problem == null
                                ? "per instance: connecting to redis"
                                : "per instance: redis unreachable (" + problem + ")")
                .build();
    }

    @Override
    public void destroy() {
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open != null) {
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
