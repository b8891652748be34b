package com.fecify.gateway;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;

/**
 * The order of every servlet filter in the gateway, outermost first, in one table; no two filters share an order
 * (ties would be settled by bean registration order). Spring Boot's own filters are named where they stand:
 * tracing's server observation filter is fixed at {@code HIGHEST_PRECEDENCE + 1}, so only one filter can run before
 * it, and that is the one that hides the caller's trace headers from it. {@code FilterOrderTests} checks the table
 * against the filters the application registers.
 */
public final class FilterOrders {

    /** Hides the caller's {@code tracestate} and {@code baggage} before the observation filter reads them. */
    public static final int TRACE_HEADERS = Ordered.HIGHEST_PRECEDENCE;

    /** Spring Boot's {@code ServerHttpObservationFilter} (tracing, {@code http.server.requests}); not ours to move. */
    public static final int BOOT_OBSERVATION = Ordered.HIGHEST_PRECEDENCE + 1;

    /** Gives the request its id: every later filter, and every log line, has it. */
    public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE + 2;

    /** Removes untrusted {@code X-Forwarded-*} and {@code Forwarded} headers. */
    public static final int FORWARDED_HEADERS = Ordered.HIGHEST_PRECEDENCE + 3;

    /** Spring Boot's {@code CharacterEncodingFilter}, moved here from {@code HIGHEST_PRECEDENCE} (it reads no body). */
    public static final int BOOT_CHARACTER_ENCODING = Ordered.HIGHEST_PRECEDENCE + 4;

    /** Answers {@code TRACE} itself (never echoed). */
    public static final int TRACE_METHOD = Ordered.HIGHEST_PRECEDENCE + 5;

    /** One audit line per update attempt past authentication; wraps Spring Security to see its refusals. */
    public static final int AUDIT = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1;

    /** Spring Security's filter chain (caller authentication, CORS, the caller's rate). */
    public static final int BOOT_SECURITY = SecurityFilterProperties.DEFAULT_FILTER_ORDER;

    /** The body size limit, for a caller already known. */
    public static final int BODY_SIZE_LIMIT = Ordered.LOWEST_PRECEDENCE - 10;

    /** The back-channel logout's form read without a thread (with browser sessions on), within the size limit. */
    public static final int BACKCHANNEL_BODY = BODY_SIZE_LIMIT + 1;

    private FilterOrders() {}
}
