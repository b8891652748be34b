package com.fecify.gateway.security;

import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.ProblemCors;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for the update routes, for the configured origins only. No credentials mode (callers send bearer tokens, not
 * cookies), so no origin is ever answered with a wildcard; a request from another origin gets no CORS headers, and
 * its preflight a 403 problem.
 */
final class CorsFilters {

    private CorsFilters() {}

    /** @param sessions whether browser sessions are on: then credentials (the session cookie) are allowed */
    static CorsFilter filter(List<String> allowedOrigins, boolean sessions, ErrorResponder responder) {
        List<String> origins = validated(allowedOrigins);
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(origins);
        config.setAllowedMethods(List.of("PATCH", "POST"));
        config.setAllowedHeaders(
                List.of("Authorization", "Content-Type", "X-API-Key", "X-Request-Id", Routes.Sessions.CSRF_HEADER));
        config.setExposedHeaders(List.of("X-Request-Id", "Retry-After", "WWW-Authenticate"));
        config.setAllowCredentials(sessions);
        config.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        for (Routes.Update route : Routes.Update.values()) {
            if (route.forBrowsers()) {
                source.registerCorsConfiguration(route.path(), config);
            }
        }
        return ProblemCors.filter(source, responder);
    }

    private static List<String> validated(List<String> allowedOrigins) {
        List<String> origins = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String raw : allowedOrigins) {
            String origin = raw.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (!isOrigin(origin)) {
                problems.add("gateway.cors.allowed-origins: '" + origin + "' is not an origin (scheme://host[:port],"
                        + " no path, no wildcard)");
            }
            origins.add(origin);
        }
        InvalidConfigurationException.throwIfAny(problems);
        return origins;
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            return (origin.startsWith("https://") || origin.startsWith("http://"))
                    && uri.getHost() != null
                    && !origin.contains("*")
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null;
        } catch (Exception e) {
            return false;
        }
    }
}
