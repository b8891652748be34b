package com.fecify.gateway.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code fecify} component of {@code /actuator/health}: the store as the circuit breaker's own window of recent
 * calls sees it ({@code fecify.circuit-breaker.sliding-window-size}, 20 by default), and the last call. DOWN while the
 * circuit is open, when the store refused the gateway's token on the last call, or when at least half of 4 or more
 * calls in the window found it failing (unavailable, timed out, unreadable); UNKNOWN before any call. Not part of the
 * readiness group: a failing store must not take every replica out of service.
 */
final class StoreHealth implements HealthIndicator {

    /** Fewer calls than this in the window say nothing yet (the breaker itself waits for its minimum). */
    private static final int MIN_CALLS = 4;

    private record LastCall(StoreOutcome outcome, Instant at) {}

    private final Clock clock;
    private final CircuitBreaker breaker;
    private volatile @Nullable LastCall last;

    StoreHealth(Clock clock, CircuitBreaker breaker) {
        this.clock = clock;
        this.breaker = breaker;
    }

    void lastCall(StoreOutcome outcome) {
        last = new LastCall(outcome, clock.instant());
    }

    @Override
    public Health health() {
        LastCall call = last;
        CircuitBreaker.State state = breaker.getState();
        if (call == null) {
            return Health.unknown()
                    .withDetail("reason", "no upstream call yet")
                    .withDetail("circuit", state.name())
                    .build();
        }
        CircuitBreaker.Metrics window = breaker.getMetrics();
        int calls = window.getNumberOfBufferedCalls();
        int failed = window.getNumberOfFailedCalls();
        Health.Builder health;
        if (state == CircuitBreaker.State.OPEN) {
            health = Health.down().withDetail("reason", "the circuit is open: calls are held back after failures");
        } else if (call.outcome() == StoreOutcome.AUTH_FAILED) {
            health = Health.down().withDetail("reason", "the store refuses the gateway's token");
        } else if (calls >= MIN_CALLS && failed * 2 >= calls) {
            health = Health.down().withDetail("reason", failed + " of the last " + calls + " calls failed");
        } else {
            health = Health.up();
        }
        return health.withDetail("circuit", state.name())
                .withDetail("last_outcome", call.outcome().tag())
                .withDetail("last_call", call.at().toString())
                .withDetail("recent_calls", calls)
                .withDetail("failed_calls", failed)
                .build();
    }
}
