package com.fecify.gateway;

import jakarta.servlet.ServletRequest;
import java.util.function.BooleanSupplier;

/**
 * Whether a caller that is waiting for its answer has closed its side of the connection, as nginx notices it (and
 * logs 499): the servlet API tells only once a write fails, and a cleanly closed connection still takes the first
 * write. The container leaves a probe on the request; without one the answer is "not known to be closed".
 */
public final class CallerConnection {

    /** The request attribute holding the probe. */
    public static final String ATTRIBUTE = CallerConnection.class.getName();

    private CallerConnection() {}

    /** True when the caller is known to have closed its connection. */
    public static boolean hasClosed(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof BooleanSupplier closed && closed.getAsBoolean();
    }
}
