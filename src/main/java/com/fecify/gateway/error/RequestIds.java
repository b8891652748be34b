package com.fecify.gateway.error;

import jakarta.servlet.ServletRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the current request's id lives: a request attribute, so that it survives error dispatches and reaches
 * threads that have no logging context. The web layer's filter assigns it; everything that answers reads it.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** A caller's own id is kept when it is this (a regular expression): 1 to 128 letters, digits and {@code . _ : -}. */
    public static final String SANE = "[A-Za-z0-9._:-]{1,128}";

    /** The key under which the id is in the logging context (MDC). */
    public static final String MDC_KEY = "request_id";

    private static final String ATTRIBUTE = RequestIds.class.getName();

    private RequestIds() {}

    public static void set(ServletRequest request, String requestId) {
        request.setAttribute(ATTRIBUTE, requestId);
    }

    /**
     * A new random id in UUID form (version 4). Drawn from {@link ThreadLocalRandom}, not {@code SecureRandom}: an id
     * names a request in logs and answers and guards nothing, and {@link UUID#randomUUID()} takes a lock on a shared
     * secure generator on every request.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    /** The id, or {@code "-"} for a request that never passed the filter. */
    public static String of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String id ? id : "-";
    }
}
