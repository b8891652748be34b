package com.fecify.gateway;

import java.time.Duration;

/** A caller's share of updates: the token bucket the security layer keeps for it, for flows that pace themselves. */
public interface RateBucket {

    /** No limit, for callers the gateway does not count. */
    RateBucket UNLIMITED = new RateBucket() {
        @Override
        public Duration tryTake() {
            return Duration.ZERO;
        }

        @Override
        public double perSecond() {
            return Double.POSITIVE_INFINITY;
        }
    };

    /**
     * Takes one token.
     *
     * @return zero when taken, else how long until the next token
     */
    Duration tryTake();

    /** The caller's rate; its bucket holds one second's worth. */
    double perSecond();
}
