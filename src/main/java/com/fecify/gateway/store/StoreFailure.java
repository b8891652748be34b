package com.fecify.gateway.store;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A store call that did not succeed, decided once where the store's answer (or its silence) is read: what the caller
 * is answered (the {@link GatewayException}) and how the call is counted ({@link #outcome()}: the metric's tag, and
 * whether the circuit breaker counts it as a failing store).
 */
final class StoreFailure extends GatewayException {

    private final StoreOutcome outcome;

    StoreFailure(
            StoreOutcome outcome,
            ErrorCode errorCode,
            String detail,
            @Nullable Duration retryAfter,
            @Nullable Integer upstreamCode) {
        super(errorCode, detail, List.of(), retryAfter, upstreamCode);
        this.outcome = outcome;
    }

    StoreFailure(StoreOutcome outcome, ErrorCode errorCode, String detail) {
        this(outcome, errorCode, detail, null, null);
    }

    StoreOutcome outcome() {
        return outcome;
    }

    /** Whether {@code failure} says the store is failing (unavailable, timed out, unreadable): for the breaker. */
    static boolean isStoreFailing(Throwable failure) {
        return failure instanceof StoreFailure store && store.outcome.isStoreFailure();
    }
}
