package com.fecify.gateway.upstream;

import com.fecify.gateway.error.ErrorCode;
import java.util.Locale;

/** How one upstream exchange ended; the {@code outcome} tag of the {@code fecify.upstream.requests} timer. */
enum UpstreamOutcome {
    SUCCESS,
    NOT_FOUND,
    REJECTED,
    AUTH_FAILED,
    UNAVAILABLE,
    TIMEOUT,
    BAD_RESPONSE;

    private final String tag = name().toLowerCase(Locale.ROOT);

    String tag() {
        return tag;
    }

    boolean isStoreFailure() {
        return this == UNAVAILABLE || this == TIMEOUT || this == BAD_RESPONSE;
    }

    static UpstreamOutcome of(ErrorCode code) {
        return switch (code) {
            case CUSTOMER_NOT_FOUND -> NOT_FOUND;
            case UPSTREAM_REJECTED -> REJECTED;
            case UPSTREAM_AUTH_FAILED -> AUTH_FAILED;
            case UPSTREAM_TIMEOUT -> TIMEOUT;
            case UPSTREAM_BAD_RESPONSE -> BAD_RESPONSE;
            default -> UNAVAILABLE;
        };
    }
}
