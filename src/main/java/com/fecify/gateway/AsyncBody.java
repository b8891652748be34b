package com.fecify.gateway;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A body that had not all arrived with its request, read with the servlet's non-blocking I/O: the request thread
 * leaves, the container calls back as bytes arrive, and no thread waits on a caller that sends slowly. Once the body is
 * whole, the request is dispatched again through the container ({@link AsyncContext#dispatch()}), every filter and the
 * route, which then finds the body at hand. The update routes read their bodies so, and the one other route that takes
 * a body from anyone ({@code POST /bff/backchannel-logout}). A read that fails (over the size limit, cut short, a broken chunk), the
 * container's timeout and a connection that fails each end it once, through {@link Ending}.
 */
public final class AsyncBody implements ReadListener, AsyncListener {

    /** What the buffer starts with beside the bytes at hand. */
    static final int INITIAL_CAPACITY = 8192;

    private final AsyncContext async;
    private final ServletInputStream in;
    private final ByteArrayOutputStream body;
    private final byte[] chunk = new byte[8192];
    private final Consumer<byte[]> arrived;
    private final Ending ending;
    private final AtomicBoolean ended = new AtomicBoolean();

    private AsyncBody(
            AsyncContext async,
            ServletInputStream in,
            byte[] start,
            int expected,
            Consumer<byte[]> arrived,
            Ending ending) {
        this.async = async;
        this.in = in;
        // memory for what has arrived, never for what the caller announced: a megabyte announced and never sent
        // takes a chunk, not a megabyte (the buffer grows as bytes come)
        this.body = new ByteArrayOutputStream(Math.max(start.length, Math.min(expected, INITIAL_CAPACITY)));
        this.body.write(start, 0, start.length);
        this.arrived = arrived;
        this.ending = ending;
    }

    /**
     * Reads the rest of {@code request}'s body, of which {@code start} has arrived, within {@code timeoutMillis}. Whole,
     * it is given to {@code arrived} on a container thread, just before the request is dispatched again; otherwise
     * {@code ending} is told why, on a container thread, and the exchange is completed after it.
     */
    public static void read(
            HttpServletRequest request, byte[] start, long timeoutMillis, Consumer<byte[]> arrived, Ending ending)
            throws IOException {
        // read through the filters' request (the size limit wraps its stream); answered on the container's own
        ServletInputStream in = request.getInputStream();
        AsyncContext async = request.startAsync();
        async.setTimeout(timeoutMillis);
        AsyncBody reader = new AsyncBody(async, in, start, request.getContentLength(), arrived, ending);
        async.addListener(reader);
        in.setReadListener(reader);
    }

    @Override
    public void onDataAvailable() {
        try {
            while (!ended.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                body.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // over the size limit, cut short, or a broken chunk: answered by us, so the container does not close the
            // exchange as failed before the answer is written
            onError(e);
        }
    }

    @Override
    public void onAllDataRead() {
        if (ended.compareAndSet(false, true)) {
            arrived.accept(body.toByteArray());
            async.dispatch();
        }
    }

    /** The read failed: answered here, inside the container's callback, which otherwise sends an error page of its own. */
    @Override
    public void onError(Throwable failure) {
        end(() -> ending.refuse(refusalFor(failure), async));
    }

    /** The body did not arrive within the container's timeout. */
    @Override
    public void onTimeout(AsyncEvent event) {
        end(() -> ending.refuse(
                new GatewayException(
                        ErrorCode.REQUEST_TIMEOUT, "The body did not arrive in time (" + async.getTimeout() + " ms)."),
                async));
    }

    /**
     * A failed body read, as answered: over the size limit, a body that stopped arriving (the container's socket read
     * timed out before {@code gateway.limits.body-read-timeout}: the same 408), or unreadable.
     */
    public static GatewayException refusalFor(Throwable failure) {
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

    /** The connection failed: the caller went away. */
    @Override
    public void onError(AsyncEvent event) {
        end(ending::callerLeft);
    }

    private void end(Runnable how) {
        if (ended.compareAndSet(false, true)) {
            try {
                how.run();
            } finally {
                async.complete();
            }
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // ended by one of the above, or dispatched
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    /** How a body that did not arrive whole ends; each called at most once, and only one of them. */
    public interface Ending {

        /** The read failed or timed out: {@code refusal} is written and sent from here, on the container's response. */
        void refuse(GatewayException refusal, AsyncContext async);

        /** The caller went away; nobody is left to answer. */
        void callerLeft();
    }
}
