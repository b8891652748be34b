package com.fecify.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The routes of the API, each stated once: its method, its path, the body it may carry and who may call it from a
 * browser. The controllers map these paths; security (authentication, the caller, its rate), CORS, the size limit,
 * the audit and the answer to an unknown path read this table. {@code RoutesTests} fails when the gateway maps a
 * route this table does not name, or the reverse.
 */
public final class Routes {

    /** {@code PATCH}: one customer, problem+json errors. */
    public static final String CUSTOMER = "/v1/customers/{id}";

    /** {@code POST}: many customers, streamed lines. */
    public static final String BATCH = "/v1/customers/batch";

    /** {@code POST}: the store's own path and body, for callers moving off direct calls; errors as its envelope. */
    public static final String DROP_IN = "/api/skill/customer/update-customer";

    private static final int KIB = 1024;

    private Routes() {}

    /**
     * The browser-session routes ({@code gateway.sessions.*}): sign-in and its return, the session, sign-out and the
     * provider's back-channel logout. Mapped only when sessions are on; documented always.
     */
    public static final class Sessions {

        /** {@code GET}: 302 to the provider. */
        public static final String LOGIN = "/bff/login";

        /** {@code GET}: the provider's redirect back; 302 to {@code return_to}. */
        public static final String CALLBACK = "/bff/callback";

        /** {@code GET}: who the session is. */
        public static final String SESSION = "/bff/session";

        /** {@code POST}: ends the session. */
        public static final String LOGOUT = "/bff/logout";

        /** {@code POST}: OpenID Connect Back-Channel Logout. */
        public static final String BACKCHANNEL_LOGOUT = "/bff/backchannel-logout";

        /** What every request the session cookie authenticates and that changes something must carry, as {@code 1}. */
        public static final String CSRF_HEADER = "X-CSRF-Protection";

        /** The cookie that carries a sign-in from {@code /bff/login} to {@code /bff/callback} ({@code SameSite=Lax}). */
        public static final String SIGN_IN_COOKIE = "__Host-fecify-signin";

        /** {@code gateway.sessions.cookie-name}'s default. */
        public static final String DEFAULT_COOKIE = "__Host-fecify-session";

        private Sessions() {}
    }

    /** One update route. */
    public enum Update {
        PATCH_CUSTOMER("PATCH", CUSTOMER, 64 * KIB, true),
        BATCH_UPDATE("POST", BATCH, 1024 * KIB, false),
        DROP_IN_UPDATE("POST", DROP_IN, 64 * KIB, true);

        private final String method;
        private final String path;
        private final int maxBodyBytes;
        private final boolean forBrowsers;
        private final PathPattern pattern;

        Update(String method, String path, int maxBodyBytes, boolean forBrowsers) {
            this.method = method;
            this.path = path;
            this.maxBodyBytes = maxBodyBytes;
            this.forBrowsers = forBrowsers;
            this.pattern = PathPatternParser.defaultInstance.parse(path);
        }

        public String method() {
            return method;
        }

        /** The path as the controllers map it ({@code {id}} for a path variable). */
        public String path() {
            return path;
        }

        /** The largest body it takes; larger is 413. */
        public int maxBodyBytes() {
            return maxBodyBytes;
        }

        /** The same, as people write it: {@code 64 KiB}, {@code 1 MiB}. */
        public String maxBody() {
            return readableSize(maxBodyBytes);
        }

        /** Whether browsers on the allowed origins may call it (CORS). */
        public boolean forBrowsers() {
            return forBrowsers;
        }

        boolean matches(String requestMethod, String requestPath) {
            return method.equals(requestMethod) && pattern.matches(PathContainer.parsePath(requestPath));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** The update route of {@code request}, or null for any other request. */
    public static @Nullable Update of(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (Update route : Update.values()) {
            if (route.matches(request.getMethod(), path)) {
                return route;
            }
        }
        return null;
    }

    /** The largest body any request may carry where it is not an update route's. */
    public static final int MAX_OTHER_BODY_BYTES = 64 * KIB;

    /** {@code bytes} as people write a size: whole MiB or KiB. */
    public static String readableSize(int bytes) {
        return bytes >= 1024 * KIB ? bytes / (1024 * KIB) + " MiB" : bytes / KIB + " KiB";
    }

    /** Every update route, for the answer to an unknown path: {@code PATCH /v1/customers/{id}, POST ...}. */
    public static String list() {
        return Arrays.stream(Update.values()).map(Update::toString).collect(Collectors.joining(", "));
    }

    /** The path of one customer. */
    public static String customer(long id) {
        return CUSTOMER.replace("{id}", Long.toString(id));
    }
}
