package com.fecify.gateway.web;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.RequestIds;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last-resort error page, for requests it refuses before any filter runs (an encoded {@code /} or a broken
 * {@code %} in the URL, headers too large): a minimal problem+json instead of Tomcat's HTML page. Everything that
 * reaches the application is answered by {@code ErrorResponder} instead.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = ErrorCode.forContainerStatus(status);
        String requestId = RequestIds.newId();
        String body = "{\"type\":\"" + code.type() + "\",\"title\":\"" + code.title() + "\",\"status\":" + status
                + ",\"detail\":\"The HTTP request cannot be processed as sent.\",\"code\":\"" + code.code()
                + "\",\"request_id\":\"" + requestId + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader(RequestIds.HEADER, requestId);
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (Exception | Error ignored) {
            // The connection is already failing; Tomcat closes it.
        }
    }
}
