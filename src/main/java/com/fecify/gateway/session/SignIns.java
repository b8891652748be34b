package com.fecify.gateway.session;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * Sign-ins under way, from {@code /bff/login} to {@code /bff/callback}: kept on the server, found again by a
 * {@code SameSite=Lax} cookie of their own (the session cookie is {@code Strict}, and a browser does not send a
 * {@code Strict} cookie on the provider's cross-site redirect back). A sign-in is taken once: a replayed or forged
 * {@code state}, or a callback in another browser (no cookie, or another one), finds nothing.
 */
final class SignIns implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    static final String COOKIE = "__Host-fecify-signin";
    static final String RETURN_TO = "return_to";
    /** Where a failed callback returns, when its sign-in was found: set on the request by {@link #removeAuthorizationRequest}. */
    static final String FOUND_RETURN_TO = SignIns.class.getName() + ".returnTo";

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;

    private record Pending(OAuth2AuthorizationRequest request, Instant until) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    SignIns(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @Nullable OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
        Pending found = found(request);
        return found == null ? null : found.request();
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
        Instant now = clock.instant();
        pending.values().removeIf(entry -> entry.until().isBefore(now));
        if (pending.size() >= MAX_PENDING) {
            // a flood of sign-ins that never come back: the oldest state is worth less than staying up
            pending.keySet().stream().findAny().ifPresent(pending::remove);
        }
        String key = UUID.randomUUID().toString();
        pending.put(key, new Pending(authorizationRequest, now.plus(LIFETIME)));
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
        Pending taken = pending.remove(key);
        if (taken == null || taken.until().isBefore(clock.instant())) {
            return null;
        }
        Object returnTo = taken.request().getAttribute(RETURN_TO);
        if (returnTo != null) {
            request.setAttribute(FOUND_RETURN_TO, returnTo);
        }
        String state = request.getParameter(OAuth2ParameterNames.STATE);
        return state != null && state.equals(taken.request().getState()) ? taken.request() : null;
    }

    private @Nullable Pending found(HttpServletRequest request) {
        String key = key(request);
        Pending found = key == null ? null : pending.get(key);
        String state = request.getParameter(OAuth2ParameterNames.STATE);
        return found != null && state != null && state.equals(found.request().getState()) ? found : null;
    }

    private static @Nullable String key(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(COOKIE) && !cookie.getValue().isEmpty()) {
                    return cookie.getValue();
                }
            }
        }
        return null;
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
}
