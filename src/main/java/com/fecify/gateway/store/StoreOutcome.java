package com.fecify.gateway.store;

import java.util.Locale;

/**
 * How one store call ended: the {@code outcome} tag of the {@code fecify.upstream.requests} timer. A failed call's
 * outcome travels with its {@link StoreFailure}.
 */
enum StoreOutcome {
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

    /** The store is failing, rather than answering: what opens the circuit and marks the health component down. */
    boolean isStoreFailure() {
        return this == UNAVAILABLE || this == TIMEOUT || this == BAD_RESPONSE;
    }
}
