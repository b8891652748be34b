package com.fecify.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * {@code fecify.gateway.sessions.events} (tag {@code event}: {@code login_ok}, {@code login_failed}, {@code logout},
 * {@code backchannel_logout})
 * and {@code fecify.gateway.sessions.active}, the sessions the instance
 * holds.
 */
final class SessionEvents {

    private final Meter.MeterProvider<Counter> events;

    SessionEvents(MeterRegistry meters, Map<String, ?> sessions) {
        this.events = Counter.builder("fecify.gateway.sessions.events")
                .description("Browser session sign-ins, sign-outs and ends, by event")
                .withRegistry(meters);
        Gauge.builder("fecify.gateway.sessions.active", sessions, Map::size)
                .description("Browser sessions held by this instance (expired ones until they are next looked up)")
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
