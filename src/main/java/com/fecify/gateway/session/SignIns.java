package com.fecify.gateway.session;

import com.fecify.gateway.Routes;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.util.WebUtils;

/**
 * Sign-ins under way, from {@code /bff/login} to {@code /bff/callback}: kept on the server (in memory, or in Redis
 * beside the sessions, so that the callback may reach another replica), found again by a {@code SameSite=Lax} cookie
 * of their own (the session cookie is {@code Strict}, and a browser does not send a {@code Strict} cookie on the
 * provider's cross-site redirect back). A sign-in is taken once: a replayed or forged {@code state}, or a callback in
 * another browser (no cookie, or another one), finds nothing.
 */
final class SignIns implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    static final String COOKIE = Routes.Sessions.SIGN_IN_COOKIE;
    static final String RETURN_TO = "return_to";
    /** Where a failed callback returns, when its sign-in was found: set on the request by {@link #removeAuthorizationRequest}. */
    static final String FOUND_RETURN_TO = SignIns.class.getName() + ".returnTo";

    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** Where pending sign-ins are kept, each for {@link #LIFETIME}. */
    interface Store {
        void put(String key, OAuth2AuthorizationRequest request);

        @Nullable
        OAuth2AuthorizationRequest get(String key);

        @Nullable
        OAuth2AuthorizationRequest take(String key);
    }

    private final Store store;

    SignIns(Store store) {
        this.store = store;
    }

    @Override
    public @Nullable OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
        String key = key(request);
        return key == null ? null : ofThisState(store.get(key), request);
    }

    @Override
    public void saveAuthorizationRequest(
            @Nullable OAuth2AuthorizationRequest authorizationRequest,
            HttpServletRequest request,
            HttpServletResponse response) {
        if (authorizationRequest == null) {
            removeAuthorizationRequest(request, response);
            return;
        }
        String key = UUID.randomUUID().toString();
        store.put(key, authorizationRequest);
        response.addHeader("Set-Cookie", cookie(key, LIFETIME).toString());
    }

    @Override
    public @Nullable OAuth2AuthorizationRequest removeAuthorizationRequest(
            HttpServletRequest request, HttpServletResponse response) {
        String key = key(request);
        if (key == null) {
            return null;
        }
        response.addHeader("Set-Cookie", cookie("", Duration.ZERO).toString());
        OAuth2AuthorizationRequest taken = store.take(key);
        if (taken == null) {
            return null;
        }
        Object returnTo = taken.getAttribute(RETURN_TO);
        if (returnTo != null) {
            request.setAttribute(FOUND_RETURN_TO, returnTo);
        }
        return ofThisState(taken, request);
    }

    private static @Nullable OAuth2AuthorizationRequest ofThisState(
            @Nullable OAuth2AuthorizationRequest found, HttpServletRequest request) {
        String state = request.getParameter(OAuth2ParameterNames.STATE);
        return found != null && state != null && state.equals(found.getState()) ? found : null;
    }

    private static @Nullable String key(HttpServletRequest request) {
        Cookie cookie = WebUtils.getCookie(request, COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static ResponseCookie cookie(String value, Duration maxAge) {
        return ResponseCookie.from(COOKIE, value)
                .httpOnly(true)
                .secure(true)
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build();
    }

    /** This instance's pending sign-ins: each for {@link #LIFETIME}, at most 10,000 (beyond, Caffeine gives some up). */
    static Store inMemory() {
        // a flood of sign-ins that never come back costs a bounded map, not a scan of it per sign-in
        Cache<String, OAuth2AuthorizationRequest> pending = Caffeine.newBuilder()
                .expireAfterWrite(LIFETIME)
                .maximumSize(10_000)
                .build();
        return new Store() {
            @Override
            public void put(String key, OAuth2AuthorizationRequest request) {
                pending.put(key, request);
            }

            @Override
            public @Nullable OAuth2AuthorizationRequest get(String key) {
                return pending.getIfPresent(key);
            }

            @Override
            public @Nullable OAuth2AuthorizationRequest take(String key) {
                return pending.asMap().remove(key);
            }
        };
    }

    /** Pending sign-ins in Redis, beside the sessions: each a key that expires with the sign-in, taken atomically. */
    static Store inRedis(RedisOperations<String, Object> redis, String namespace) {
        return new Store() {
            @Override
            public void put(String key, OAuth2AuthorizationRequest request) {
                redis.opsForValue().set(namespace + key, request, LIFETIME);
            }

            @Override
            public @Nullable OAuth2AuthorizationRequest get(String key) {
                return redis.opsForValue().get(namespace + key) instanceof OAuth2AuthorizationRequest found
                        ? found
                        : null;
            }

            @Override
            public @Nullable OAuth2AuthorizationRequest take(String key) {
                return redis.opsForValue().getAndDelete(namespace + key) instanceof OAuth2AuthorizationRequest found
                        ? found
                        : null;
            }
        };
    }
}
