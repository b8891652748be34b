package com.fecify.gateway;

import jakarta.servlet.ServletRequest;

/**
 * {@code Expect: 100-continue}, answered by the application once it is ready for the body: after the caller is
 * authenticated, within its rate and under the size limit. The container (Tomcat, told to wait for the first read)
 * leaves a callback on the request; reading the body without blocking never makes that first read before the body
 * comes, so the update routes call {@link #sendIfExpected} instead.
 */
public final class ExpectContinue {

    /** The request attribute holding the callback that sends {@code 100 Continue}, where the caller asked for it. */
    public static final String ATTRIBUTE = ExpectContinue.class.getName();

    private ExpectContinue() {}

    /** Sends {@code 100 Continue} if the caller is waiting for it (at most once; nothing otherwise). */
    public static void sendIfExpected(ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Runnable send) {
            request.removeAttribute(ATTRIBUTE);
            send.run();
        }
    }
}
