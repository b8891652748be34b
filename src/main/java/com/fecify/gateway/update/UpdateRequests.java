package com.fecify.gateway.update;

import com.fecify.gateway.Caller;
import com.fecify.gateway.ExpectContinue;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** What every update route reads from its request: the body, and the caller the security layer bound. */
public final class UpdateRequests {

    private static final int FIRST_READ = 8 * 1024;

    private UpdateRequests() {}

    /**
     * What has arrived of the body without waiting: for nearly every update, all of it (it came in the same packets
     * as the headers, and is in the container's buffer). Reads only while the container has bytes at hand, so this
     * never blocks; the rest, if any, is read by {@link AsyncBody} as it arrives. A chunked body is read there whole.
     */
    public static Arrived arrived(HttpServletRequest request) {
        int length = request.getContentLength();
        if (length == 0) {
            return new Arrived(new byte[0], true);
        }
        // the caller is known, within its rate and its size: a caller that waits for leave to send is given it now
        ExpectContinue.sendIfExpected(request);
        if (length < 0) {
            return new Arrived(new byte[0], false);
        }
        // memory for what has arrived, not for what the caller announced: an announced megabyte that never comes
        // takes no megabyte (a body up to 8 KiB, nearly every update, is read into its exact size)
        byte[] body = new byte[Math.min(length, FIRST_READ)];
        int read = 0;
        try {
            ServletInputStream in = request.getInputStream();
            while (read < length && in.available() > 0) {
                if (read == body.length) {
                    body = Arrays.copyOf(body, Math.min(length, body.length * 2));
                }
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        return read == length ? new Arrived(body, true) : new Arrived(Arrays.copyOf(body, read), false);
    }

    /**
     * The body's bytes at hand.
     *
     * @param bytes what has arrived
     * @param complete whether that is the whole body
     */
    public record Arrived(byte[] bytes, boolean complete) {}

    /**
     * The failure of an asynchronous body read, as answered: over the size limit, a body that stopped arriving (the
     * container's socket read timed out before {@code gateway.limits.body-read-timeout}: the same 408), or unreadable.
     */
    public static GatewayException unreadable(Throwable failure) {
        GatewayException known = ErrorResponder.gatewayExceptionIn(failure);
        if (known != null) {
            return known;
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return new GatewayException(ErrorCode.REQUEST_TIMEOUT, "The body did not arrive in time.");
            }
        }
        return new GatewayException(ErrorCode.BAD_REQUEST, "The request cannot be processed as sent.");
    }

    /** Bound by the security layer on every update route; deny by default should it ever be missing. */
    public static Caller caller(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (caller == null) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "The caller could not be identified.");
        }
        return caller;
    }
}
