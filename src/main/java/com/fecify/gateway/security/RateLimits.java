package com.fecify.gateway.security;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;

/** Per-caller token buckets, each holding one second's worth of updates and refilled continuously. */
interface RateLimits {

    /**
     * Takes one token from the bucket of {@code caller}.
     *
     * @return zero when the update may go on, else how long until the next token
     */
    Duration tryConsume(String caller, double perSecond);

    /** The limit for {@code perSecond} updates a second: capacity for one second, refilled token by token. */
    static Bandwidth bandwidth(double perSecond) {
        long capacity = Math.max(1, (long) Math.ceil(perSecond));
        Duration period = Duration.ofNanos((long) (capacity / perSecond * 1_000_000_000L));
        return Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(capacity, period)
                .build();
    }
}
