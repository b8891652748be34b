package com.fecify.gateway.customer;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/** What every update route reads from its request: the body, and the caller the security layer bound. */
final class UpdateRequests {

    private UpdateRequests() {}

    /** Exactly {@code Content-Length} bytes when it is given (at most 64 KiB, checked before), else all there is. */
    static byte[] body(HttpServletRequest request) {
        try {
            int length = request.getContentLength();
            if (length < 0) {
                return request.getInputStream().readAllBytes();
            }
            // readAllBytes would take a 16 KiB buffer for every body, however short
            byte[] body = new byte[length];
            if (request.getInputStream().readNBytes(body, 0, length) < length) {
                throw new IOException("body shorter than Content-Length");
            }
            return body;
        } catch (IOException e) {
            GatewayException known = ErrorResponder.gatewayExceptionIn(e);
            if (known != null) {
                throw known; // a chunked body over the limit (BodySizeLimitFilter)
            }
            // the caller went away mid-body or sent a broken chunk: answered like any unreadable request
            throw new GatewayException(ErrorCode.BAD_REQUEST, "The request cannot be processed as sent.");
        }
    }

    /** Bound by the security layer on every update route; deny by default should it ever be missing. */
    static Caller caller(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (caller == null) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "The caller could not be identified.");
        }
        return caller;
    }
}
