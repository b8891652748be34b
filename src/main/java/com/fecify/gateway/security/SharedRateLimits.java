package com.fecify.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;

/**
 * Token buckets in Redis (Bucket4j's Lettuce integration, compare-and-swap), so that every replica takes from the same
 * bucket. Every call is asynchronous: Bucket4j's batching optimization merges the concurrent takes of one caller into
 * one command (so a busy caller's requests do not race each other through compare-and-swap retries), and a request
 * thread waits for Redis at most {@code gateway.rate-limit.redis-timeout}. When Redis cannot be reached, or does not
 * answer within that bound, the gateway keeps serving with this instance's own buckets, says so in the log and in the
 * {@code rateLimits} health component (degraded), and tries Redis again a few seconds later.
 */
final class SharedRateLimits implements RateLimits, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SharedRateLimits.class);
    private static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(3);
    private static final String KEY_PREFIX = "fecify-gateway:rate:";
    /** A bucket no caller has (caller keys are client ids and {@code user:} subjects). */
    private static final String WARM_UP = "warm-up:";

    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final RateLimits local;
    private final Duration wait;
    /** One proxy per caller, so that the batching optimization sees every concurrent take of that caller. */
    private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile @Nullable AsyncProxyManager<byte[]> buckets;
    private volatile long retryRedisAtNanos;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean shared;
    private volatile @Nullable String lastProblem;

    /**
     * @param wait the longest a request thread waits for Redis before this instance's buckets answer
     */
    SharedRateLimits(String redisUrl, Duration wait, RateLimits local) {
        this.uri = RedisURI.create(redisUrl);
        this.wait = wait;
        // a command Redis leaves unanswered fails on its own a little after a request stopped waiting for it
        Duration commandTimeout = wait.multipliedBy(4).plusMillis(100);
        uri.setTimeout(commandTimeout);
        this.where = uri.getHost() + ":" + uri.getPort();
        this.local = local;
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofMillis(500))
                        .build())
                .build());
        connectInBackground();
    }

    @Override
    public Duration tryConsume(String caller, double perSecond) {
        AsyncProxyManager<byte[]> manager = usableRedis();
        if (manager != null) {
            CompletableFuture<Duration> taken = proxy(manager, caller, perSecond)
                    .tryConsumeAndReturnRemaining(1)
                    .thenApply(RateLimits::waitOf);
            try {
                Duration answer = taken.get(wait.toNanos(), TimeUnit.NANOSECONDS);
                backOnRedis();
                return answer;
            } catch (TimeoutException e) {
                onRedisSlow();
            } catch (ExecutionException e) {
                onRedisFailure(e.getCause() == null ? e : e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                onRedisFailure(e);
            }
        }
        return local.tryConsume(caller, perSecond);
    }

    @Override
    public CompletableFuture<Duration> tryConsumeLeaving(String caller, double perSecond, long reserve) {
        AsyncProxyManager<byte[]> manager = usableRedis();
        if (manager == null) {
            return local.tryConsumeLeaving(caller, perSecond, reserve);
        }
        AsyncBucketProxy bucket = proxy(manager, caller, perSecond);
        CompletableFuture<Duration> taken = reserve <= 0
                ? bucket.tryConsumeAndReturnRemaining(1).thenApply(RateLimits::waitOf)
                : bucket.estimateAbilityToConsume(reserve + 1).thenCompose(estimate -> {
                    Duration notYet = RateLimits.waitForReserve(estimate);
                    return notYet != null
                            ? CompletableFuture.completedFuture(notYet)
                            : bucket.tryConsumeAndReturnRemaining(1).thenApply(RateLimits::waitOf);
                });
        return taken.orTimeout(wait.toNanos(), TimeUnit.NANOSECONDS)
                .handle((answer, failure) -> {
                    if (failure == null) {
                        backOnRedis();
                        return CompletableFuture.completedFuture(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof TimeoutException) {
                        onRedisSlow();
                    } else {
                        onRedisFailure(cause);
                    }
                    return local.tryConsumeLeaving(caller, perSecond, reserve);
                })
                .thenCompose(Function.identity());
    }

    /** The shared buckets, unless Redis is not connected yet or is being given a rest after a failure. */
    private @Nullable AsyncProxyManager<byte[]> usableRedis() {
        AsyncProxyManager<byte[]> manager = buckets;
        if (manager == null) {
            connectInBackground();
            return null;
        }
        return System.nanoTime() - retryRedisAtNanos >= 0 ? manager : null;
    }

    private AsyncBucketProxy proxy(AsyncProxyManager<byte[]> manager, String caller, double perSecond) {
        return proxies.get(
                caller,
                key -> manager.builder()
                        .withOptimization(Optimizations.batching())
                        .build(
                                (KEY_PREFIX + key).getBytes(StandardCharsets.UTF_8),
                                () -> CompletableFuture.completedFuture(BucketConfiguration.builder()
                                        .addLimit(RateLimits.bandwidth(perSecond))
                                        .build())));
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
                connecting.set(false);
                return;
            }
            connection = opened;
            proxies.invalidateAll();
            AsyncProxyManager<byte[]> manager = Bucket4jLettuce.casBasedBuilder(opened)
                    .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build()
                    .asAsync();
            // one take on a bucket of its own before any request uses Redis: the first call loads Bucket4j's code and
            // Redis's script, which alone can take longer than a request may wait
            proxy(manager, WARM_UP, 1).tryConsumeAndReturnRemaining(1).whenComplete((probe, warmUpFailure) -> {
                proxies.invalidate(WARM_UP);
                if (warmUpFailure != null) {
                    onRedisFailure(warmUpFailure);
                } else {
                    buckets = manager;
                    backOnRedis();
                }
                connecting.set(false);
            });
        });
    }

    private void onRedisSlow() {
        degraded("slow: no answer within " + wait.toMillis() + " ms");
    }

    private void onRedisFailure(Throwable e) {
        degraded("unreachable (" + e.getClass().getSimpleName() + ")");
    }

    /** This instance's buckets answer for a few seconds; said once per change, not once per request. */
    private void degraded(String problem) {
        retryRedisAtNanos = System.nanoTime() + RETRY_REDIS_AFTER.toNanos();
        boolean news = shared || !problem.equals(lastProblem);
        lastProblem = problem;
        if (news) {
            shared = false;
            log.warn("Redis at {} is {}: rate limits are per instance until it is back", where, problem);
        }
    }

    private void backOnRedis() {
        if (!shared) {
            shared = true;
            lastProblem = null;
            log.info("Redis at {} is back: rate limits are shared again", where);
        }
    }

    /** Whether the buckets in use are the shared ones (for the health component and the gauge). */
    boolean isShared() {
        return shared;
    }

    /**
     * For the {@code rateLimits} health component: up either way (the gateway serves with its own buckets), with
     * {@code state} {@code degraded} whenever Redis is not the one answering.
     */
    Health health() {
        Health.Builder health = Health.up().withDetail("redis", where);
        if (shared) {
            return health.withDetail("buckets", "shared (redis)")
                    .withDetail("state", "ok")
                    .build();
        }
        String problem = lastProblem;
        return health.withDetail(
                        "buckets",
                        problem == null ? "per instance: connecting to redis" : "per instance: redis " + problem)
                .withDetail("state", "degraded")
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
