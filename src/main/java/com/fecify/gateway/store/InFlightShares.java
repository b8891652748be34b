package com.fecify.gateway.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many store calls each caller has in flight on this instance: at most {@code
 * fecify.max-concurrent-requests-per-caller} each, so that no caller can hold the whole in-flight limit while others
 * wait (callers are told 503 beyond their share, as beyond the limit).
 */
final class InFlightShares {

    private final ConcurrentHashMap<String, Integer> byCaller = new ConcurrentHashMap<>();
    private final int most;

    InFlightShares(int most) {
        this.most = most;
    }

    int most() {
        return most;
    }

    /** Takes a place for {@code caller}; false when it holds its share already. */
    boolean tryTake(String caller) {
        boolean[] taken = new boolean[1];
        byCaller.compute(caller, (id, calls) -> {
            int now = calls == null ? 0 : calls;
            if (now < most) {
                taken[0] = true;
                return now + 1;
            }
            return now;
        });
        return taken[0];
    }

    /** Gives back a place taken by {@link #tryTake}. */
    void giveBack(String caller) {
        byCaller.computeIfPresent(caller, (id, calls) -> calls <= 1 ? null : calls - 1);
    }
}
