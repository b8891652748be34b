package com.fecify.gateway.web;

import com.fecify.gateway.ExpectContinue;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.ContinueResponseTiming;

/**
 * Leaves on each request whose caller sent {@code Expect: 100-continue} the means to answer it later
 * ({@link ExpectContinue}): Tomcat's own ACK action, the one its first body read would take.
 */
final class ExpectContinueValve extends ValveBase {

    ExpectContinueValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        if (coyote.hasExpectation()) {
            request.setAttribute(ExpectContinue.ATTRIBUTE, (Runnable)
                    () -> coyote.action(ActionCode.ACK, ContinueResponseTiming.ALWAYS));
        }
        getNext().invoke(request, response);
    }
}
