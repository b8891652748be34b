package com.fecify.gateway.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Where sessions live, with what travels with them: the pending sign-ins and the index back-channel logout reads.
 * {@code memory}: this instance's maps. {@code redis}: Spring Session's Redis repository at the shared rate limits'
 * Redis, so that every replica knows every session and a restart loses none; sign-ins and the index beside it.
 */
final class SessionStore implements DisposableBean {

    static final String NAMESPACE = "fecify:session";

    private final SessionRepository<? extends Session> repository;
    private final SignIns.Store signIns;
    private final BackChannelLogout.SessionIndex index;
    private final Supplier<Number> active;
    private final @Nullable LettuceConnectionFactory connection;

    private SessionStore(
            SessionRepository<? extends Session> repository,
            SignIns.Store signIns,
            BackChannelLogout.SessionIndex index,
            Supplier<Number> active,
            @Nullable LettuceConnectionFactory connection) {
        this.repository = repository;
        this.signIns = signIns;
        this.index = index;
        this.active = active;
        this.connection = connection;
    }

    static SessionStore of(SessionProperties sessions, @Nullable String redisUrl) {
        if (!sessions.store().equalsIgnoreCase("redis")) {
            // Spring Session's map repository ends a session only when it is looked up again: in a Caffeine map that
            // drops what has been idle past the timeout, a session never used again leaves memory too
            Cache<String, Session> idle = Caffeine.newBuilder()
                    .expireAfterAccess(sessions.idleTimeout())
                    .build();
            Map<String, Session> held = idle.asMap();
            MapSessionRepository repository = new MapSessionRepository(held);
            repository.setDefaultMaxInactiveInterval(sessions.idleTimeout());
            return new SessionStore(
                    repository,
                    SignIns.inMemory(),
                    BackChannelLogout.SessionIndex.inMemory(held),
                    () -> {
                        idle.cleanUp();
                        return idle.estimatedSize();
                    },
                    null);
        }
        // every command bounded (Lettuce would wait 60 s): a slow Redis holds a request no longer than this
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client =
                LettuceClientConfiguration.builder().commandTimeout(sessions.redisTimeout());
        if (redisUrl != null && redisUrl.startsWith("rediss://")) {
            client.useSsl();
        }
        LettuceConnectionFactory connection = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(redisUrl), client.build());
        connection.afterPropertiesSet();
        connection.start();
        RedisTemplate<String, Object> redis = new RedisTemplate<>();
        redis.setConnectionFactory(connection);
        redis.setKeySerializer(new StringRedisSerializer());
        redis.setHashKeySerializer(new StringRedisSerializer());
        redis.setValueSerializer(new JdkSerializationRedisSerializer());
        redis.setHashValueSerializer(new JdkSerializationRedisSerializer());
        redis.afterPropertiesSet();
        RedisSessionRepository repository = new RedisSessionRepository(redis);
        repository.setRedisKeyNamespace(NAMESPACE);
        repository.setDefaultMaxInactiveInterval(sessions.idleTimeout());
        String sessionKeys = NAMESPACE + ":sessions:*";
        return new SessionStore(
                repository,
                SignIns.inRedis(redis, NAMESPACE + ":signin:"),
                BackChannelLogout.SessionIndex.inRedis(redis, NAMESPACE + ":index:", sessions.maxAge()),
                () -> redis.execute((RedisCallback<Long>) c -> count(c, sessionKeys)),
                connection);
    }

    private static long count(RedisConnection connection, String pattern) {
        long count = 0;
        try (Cursor<byte[]> keys = connection
                .keyCommands()
                .scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
            while (keys.hasNext()) {
                keys.next();
                count++;
            }
        }
        return count;
    }

    SessionRepository<? extends Session> repository() {
        return repository;
    }

    SignIns.Store signIns() {
        return signIns;
    }

    BackChannelLogout.SessionIndex index() {
        return index;
    }

    Supplier<Number> active() {
        return active;
    }

    @Override
    public void destroy() {
        if (connection != null) {
            connection.destroy();
        }
    }
}
