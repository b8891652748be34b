package com.fecify.gateway.web;

import com.fecify.gateway.FilterOrders;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies over their route's limit ({@link Routes}: 64 KiB, 1 MiB for a batch of updates) with 413: at once when {@code Content-Length} says so, or
 * as soon as a chunked body passes the limit while it is read. Nothing larger is ever buffered. Runs after caller
 * authentication, so an unauthenticated caller learns nothing but 401.
 */
@Component
@Order(FilterOrders.BODY_SIZE_LIMIT)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final ErrorResponder responder;

    BodySizeLimitFilter(ErrorResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Routes.Update route = Routes.of(request);
        int limit = route != null ? route.maxBodyBytes() : Routes.MAX_OTHER_BODY_BYTES;
        if (request.getContentLengthLong() > limit) {
            responder.write(request, response, tooLarge(limit));
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    static GatewayException tooLarge(int limit) {
        return new GatewayException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The body is larger than " + Routes.readableSize(limit) + " (" + limit + " bytes).");
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final int limit;
        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request, int limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream(), limit);
            }
            return limited;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final int limit;
        private long count;

        LimitedInputStream(ServletInputStream delegate, int limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            count += n;
            if (count > limit) {
                throw new IOException("body over limit", tooLarge(limit));
            }
        }

        /**
         * What the container has at hand, so that a body which came with its headers is read at once on the request
         * thread (without this, {@link ServletInputStream}'s default of 0 sent every update through the
         * non-blocking read: an extra container dispatch for each).
         */
        @Override
        public int available() throws IOException {
            return delegate.available();
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
