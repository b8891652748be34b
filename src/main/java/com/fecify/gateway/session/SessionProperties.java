package com.fecify.gateway.session;

import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.Routes;
import com.fecify.gateway.SecretSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser sessions ({@code gateway.sessions.*}): the gateway as a confidential OpenID Connect client that keeps every
 * token on the server and gives the browser an opaque cookie. Off unless {@code issuer-uri} is set.
 *
 * @param issuerUri the provider's issuer (discovery at {@code /.well-known/openid-configuration})
 * @param clientId the gateway's confidential client at the provider
 * @param clientSecret its secret
 * @param clientSecretFile a file holding the secret, re-read when it changes
 * @param publicUrl the gateway's URL as browsers reach it; the redirect URI is {@code {public-url}/bff/callback}
 * @param returnOrigins the only origins sign-in may return to (default: the CORS origins)
 * @param idleTimeout a session unused this long ends
 * @param maxAge a session ends this long after sign-in, used or not
 * @param store {@code memory} (this instance), or {@code redis} (the shared rate limits' Redis: every replica)
 * @param cookieName the session cookie
 * @param redisTimeout with {@code store=redis}, the longest a request waits for one Redis command of its session
 */
@ConfigurationProperties("gateway.sessions")
public record SessionProperties(
        @Nullable String issuerUri,
        @Nullable String clientId,
        @Nullable String clientSecret,
        @Nullable Path clientSecretFile,
        @Nullable String publicUrl,
        @DefaultValue List<String> returnOrigins,
        @DefaultValue("30m") Duration idleTimeout,
        @DefaultValue("8h") Duration maxAge,
        @DefaultValue("memory") String store,
        @DefaultValue(Routes.Sessions.DEFAULT_COOKIE) String cookieName,
        @DefaultValue("500ms") Duration redisTimeout) {

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }

    /** The origins sign-in may return to: the listed ones, else the CORS origins; never empty when sessions are on. */
    List<String> returnOrigins(List<String> corsOrigins) {
        List<String> origins = returnOrigins.isEmpty() ? corsOrigins : returnOrigins;
        return origins.stream().map(SessionProperties::origin).toList();
    }

    /** Every problem of the settings at once, as start-up reports them. */
    void validate(List<String> corsOrigins, @Nullable String redisUrl) {
        List<String> problems = new ArrayList<>();
        if (clientId == null || clientId.isBlank()) {
            problems.add("GATEWAY_SESSIONS_CLIENT_ID (gateway.sessions.client-id) is required when sessions are on");
        }
        boolean hasSecret = clientSecret != null && !clientSecret.isBlank();
        if (hasSecret == (clientSecretFile != null)) {
            problems.add("set exactly one of GATEWAY_SESSIONS_CLIENT_SECRET and GATEWAY_SESSIONS_CLIENT_SECRET_FILE"
                    + " (gateway.sessions.client-secret / client-secret-file) when sessions are on");
        }
        if (publicUrl == null || !absolute(publicUrl)) {
            problems.add("GATEWAY_SESSIONS_PUBLIC_URL (gateway.sessions.public-url) must be the gateway's absolute"
                    + " http(s) URL as browsers reach it, e.g. https://api.example.com");
        }
        if (!absolute(issuerUri)) {
            problems.add("GATEWAY_SESSIONS_ISSUER_URI (gateway.sessions.issuer-uri) must be an absolute http(s) URL");
        }
        List<String> origins = returnOrigins.isEmpty() ? corsOrigins : returnOrigins;
        if (origins.isEmpty()) {
            problems.add("GATEWAY_SESSIONS_RETURN_ORIGINS (or GATEWAY_CORS_ALLOWED_ORIGINS) must name the origins"
                    + " sign-in may return to, e.g. https://shop.example.com");
        }
        origins.stream()
                .filter(origin -> !absolute(origin) || !origin(origin).equals(stripSlash(origin)))
                .forEach(origin -> problems.add("gateway.sessions.return-origins: '" + origin
                        + "' is not an origin (scheme://host[:port], no path)"));
        if (!store.equalsIgnoreCase("memory") && !store.equalsIgnoreCase("redis")) {
            problems.add(
                    "GATEWAY_SESSIONS_STORE (gateway.sessions.store) must be memory or redis, not '" + store + "'");
        } else if (store.equalsIgnoreCase("redis") && (redisUrl == null || redisUrl.isBlank())) {
            problems.add("GATEWAY_SESSIONS_STORE=redis keeps sessions in the Redis at GATEWAY_RATE_LIMIT_REDIS_URL"
                    + " (gateway.rate-limit.redis-url), which is not set");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || maxAge.isNegative() || maxAge.isZero()) {
            problems.add("gateway.sessions.idle-timeout and max-age must be above 0");
        }
        if (redisTimeout.isNegative() || redisTimeout.isZero()) {
            problems.add("GATEWAY_SESSIONS_REDIS_TIMEOUT (gateway.sessions.redis-timeout) must be above 0");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** The client secret: as set, or from its file, re-read when the file changes (start-up fails if unreadable). */
    SecretSource secret() {
        return clientSecretFile != null
                ? SecretSource.fromFile(
                        clientSecretFile, "GATEWAY_SESSIONS_CLIENT_SECRET_FILE (gateway.sessions.client-secret-file)")
                : SecretSource.fixed(clientSecret == null ? "" : clientSecret);
    }

    String redirectUri() {
        return stripSlash(publicUrl == null ? "" : publicUrl) + Routes.Sessions.CALLBACK;
    }

    private static boolean absolute(@Nullable String url) {
        try {
            URI uri = url == null ? null : URI.create(url);
            return uri != null
                    && uri.getHost() != null
                    && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** scheme://host[:port] of a URL, lower case, default ports left out. */
    static String origin(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
