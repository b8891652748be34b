package com.fecify.gateway.session;

import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** When a session began and when it ends: unused for its idle timeout, or its max age after sign-in, used or not. */
public final class SessionAge {

    private static final String SIGNED_IN = SessionAge.class.getName() + ".signedIn";

    private SessionAge() {}

    static void signedIn(HttpSession session) {
        session.setAttribute(SIGNED_IN, Instant.now().toEpochMilli());
    }

    /** The live session's end if it is not used again; null when it has ended (it is then invalidated). */
    public static @Nullable Instant endOf(@Nullable HttpSession session, Duration maxAge) {
        if (session == null || !(session.getAttribute(SIGNED_IN) instanceof Long signedIn)) {
            return null;
        }
        Instant now = Instant.now();
        Instant last = Instant.ofEpochMilli(signedIn).plus(maxAge);
        if (!now.isBefore(last)) {
            session.invalidate();
            return null;
        }
        Instant idle = now.plusSeconds(session.getMaxInactiveInterval());
        return idle.isBefore(last) ? idle : last;
    }
}
