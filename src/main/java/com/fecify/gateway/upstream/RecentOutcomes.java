package com.fecify.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code fecify} health component: what the last upstream calls (at most 20, at most 5 minutes old) say about the
 * store, and the circuit breaker's state. DOWN while the circuit is open, when the store refuses the token, or when at
 * least half of 4 or more recent calls failed; UNKNOWN before any call. Not part of the readiness group: a failing store must not take every replica out of service.
 */
final class RecentOutcomes implements HealthIndicator {

    private static final int WINDOW = 20;
    private static final int MIN_CALLS = 4;
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private record Entry(UpstreamOutcome outcome, Instant at) {}

    private final Clock clock;
    private final CircuitBreaker breaker;
    private final Deque<Entry> entries = new ArrayDeque<>(WINDOW);

    RecentOutcomes(Clock clock, CircuitBreaker breaker) {
        this.clock = clock;
        this.breaker = breaker;
    }

    synchronized void record(UpstreamOutcome outcome) {
        if (entries.size() == WINDOW) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(outcome, clock.instant()));
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Map<UpstreamOutcome, Integer> counts = new EnumMap<>(UpstreamOutcome.class);
        @Nullable Entry last;
        synchronized (this) {
            last = entries.peekLast();
            for (Entry entry : entries) {
                if (Duration.between(entry.at(), now).compareTo(MAX_AGE) <= 0) {
                    counts.merge(entry.outcome(), 1, Integer::sum);
                }
            }
        }
        String circuit = breaker.getState().name();
        if (last == null) {
            return Health.unknown()
                    .withDetail("reason", "no upstream call yet")
                    .withDetail("circuit", circuit)
                    .build();
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int failures = counts.entrySet().stream()
                .filter(e -> e.getKey().isStoreFailure())
                .mapToInt(Map.Entry::getValue)
                .sum();
        Map<String, Integer> recent = new LinkedHashMap<>();
        counts.forEach((outcome, count) -> recent.put(outcome.tag(), count));
        Health.Builder health;
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            health = Health.down().withDetail("reason", "the circuit is open: calls are held back after failures");
        } else if (last.outcome() == UpstreamOutcome.AUTH_FAILED) {
            health = Health.down().withDetail("reason", "the store refuses the gateway's token");
        } else if (total >= MIN_CALLS && failures * 2 >= total) {
            health = Health.down().withDetail("reason", failures + " of the last " + total + " calls failed");
        } else {
            health = Health.up();
        }
        return health.withDetail("circuit", circuit)
                .withDetail("last_outcome", last.outcome().tag())
                .withDetail("last_call", last.at().toString())
                .withDetail("recent_calls", recent)
                .build();
    }
}
