package com.fecify.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a caller key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. No key at all lets the
 * request go on unauthenticated (and be refused by authorization); two different keys are refused here. Where end
 * users have JWTs, a bearer token shaped like a JWT is left to the resource server.
 */
final class ApiKeyAuthenticationConverter implements AuthenticationConverter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "bearer ";
    private static final Pattern JWT_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final boolean jwtEnabled;

    ApiKeyAuthenticationConverter(boolean jwtEnabled) {
        this.jwtEnabled = jwtEnabled;
    }

    /** Whether a bearer token is a JWT rather than an API key. */
    static boolean looksLikeJwt(String token) {
        return JWT_SHAPE.matcher(token).matches();
    }

    @Override
    public @Nullable ApiKeyAuthentication convert(HttpServletRequest request) {
        String bearer = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null && jwtEnabled && looksLikeJwt(bearer)) {
            bearer = null;
        }
        String header = request.getHeader(API_KEY_HEADER);
        if (bearer == null && header == null) {
            return null;
        }
        if (bearer != null && header != null && !bearer.equals(header.strip())) {
            throw new BadCredentialsException("Authorization and X-API-Key carry different keys; send one.");
        }
        String key = (bearer != null ? bearer : header).strip();
        if (key.isEmpty()) {
            throw new BadCredentialsException("The API key is empty.");
        }
        return ApiKeyAuthentication.unauthenticated(key);
    }

    /**
     * The token of {@code Authorization: Bearer <token>}: the scheme in any case, then any spaces. Keys and JWTs are
     * read the same way, so a caller gets the same answer whether JWTs are on or off.
     */
    static @Nullable String bearer(@Nullable String authorization) {
        if (authorization == null
                || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }
}
