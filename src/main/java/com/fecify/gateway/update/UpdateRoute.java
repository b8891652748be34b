package com.fecify.gateway.update;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What one route adds to the {@link UpdateExchange}: what it checks before a byte of the body is read, and its answer
 * once the body is at hand. A refusal is thrown as a {@link GatewayException}; the exchange writes and audits it.
 *
 * @param <A> what the route holds from its admission until the exchange ends (a batch's place among its caller's)
 */
public interface UpdateRoute<A extends UpdateRoute.Admission> {

    /** Checked once the caller is known, before the body is read; given back (closed) when the exchange ends. */
    A admit(Caller caller);

    /**
     * Reads the body (its fields, the caller's permissions), then answers: a dry run, or the store's outcome.
     *
     * @return how the answer went, as its caller saw it
     */
    Outcome answer(HttpServletRequest request, HttpServletResponse response, Caller caller, byte[] body, A admission)
            throws IOException;

    /** Held from a route's admission until its exchange ends, and given back exactly once. */
    interface Admission extends AutoCloseable {

        /** Nothing held: the single-update routes. */
        Admission NONE = () -> {};

        @Override
        void close();
    }
}
