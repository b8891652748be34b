package com.fecify.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * {@code fecify.gateway.sessions.events} (tag {@code event}: {@code login_ok}, {@code login_failed}, {@code logout},
 * {@code backchannel_logout})
 * and {@code fecify.gateway.sessions.active}, tagged {@code store}: with {@code memory} the sessions the instance holds
 * (a dashboard sums the instances), with {@code redis} those of the shared store (every instance sees the same number:
 * a dashboard takes one).
 */
final class SessionEvents {

    private final Meter.MeterProvider<Counter> events;

    SessionEvents(MeterRegistry meters, String store, Supplier<Number> sessions) {
        this.events = Counter.builder("fecify.gateway.sessions.events")
                .description("Browser session sign-ins, sign-outs and ends, by event")
                .withRegistry(meters);
        Gauge.builder(
                        "fecify.gateway.sessions.active",
                        sessions,
                        live -> live.get().doubleValue())
                .tag("store", store)
                .description("Live browser sessions: of this instance (memory, expired ones until next looked up),"
                        + " or of the store (redis)")
                .register(meters);
    }

    void loginOk() {
        events.withTags("event", "login_ok").increment();
    }

    void loginFailed() {
        events.withTags("event", "login_failed").increment();
    }

    void logout() {
        events.withTags("event", "logout").increment();
    }

    void backChannelLogout() {
        events.withTags("event", "backchannel_logout").increment();
    }
}
