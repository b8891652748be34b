package com.fecify.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/** The memory store lets go of what it no longer needs, without waiting for a lookup that may never come. */
class SessionStoreTests {

    @Test
    @SuppressWarnings("unchecked")
    void aSessionNeverUsedAgainLeavesMemoryOnceIdlePastTheTimeout() throws Exception {
        SessionStore store = SessionStore.of(
                new SessionProperties(
                        "https://idp.example.com",
                        "fecify-gateway",
                        "secret",
                        null,
                        "https://api.example.com",
                        List.of(),
                        Duration.ofMillis(300),
                        Duration.ofHours(8),
                        "memory",
                        "__Host-fecify-session",
                        Duration.ofMillis(500)),
                null);
        SessionRepository<Session> sessions = (SessionRepository<Session>) store.repository();
        sessions.save(sessions.createSession());
        Session used = sessions.createSession();
        sessions.save(used);
        assertThat(store.active().get().longValue()).as("live sessions gauged").isEqualTo(2);

        for (int i = 0; i < 4; i++) {
            Thread.sleep(150);
            // as Spring Session's filter uses one: looked up, touched, saved
            Session found = sessions.findById(used.getId());
            assertThat(found).as("a session in use stays").isNotNull();
            found.setLastAccessedTime(java.time.Instant.now());
            sessions.save(found);
        }
        assertThat(store.active().get().longValue())
                .as("the one never looked up again is gone from memory and from the gauge")
                .isEqualTo(1);
        store.destroy();
    }
}
