package com.fecify.gateway.error;

import jakarta.servlet.ServletRequest;

/**
 * Where the current request's id lives: a request attribute, so that it survives async and error dispatches and
 * threads that have no logging context. The web layer's filter assigns it; everything that answers reads it.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** The key under which the id is in the logging context (MDC). */
    public static final String MDC_KEY = "request_id";

    private static final String ATTRIBUTE = RequestIds.class.getName();

    private RequestIds() {}

    public static void set(ServletRequest request, String requestId) {
        request.setAttribute(ATTRIBUTE, requestId);
    }

    /** The id, or {@code "-"} for a request that never passed the filter. */
    public static String of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String id ? id : "-";
    }
}
