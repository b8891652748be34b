package com.fecify.gateway.session;

import com.fecify.gateway.AsyncBody;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code POST /bff/backchannel-logout} takes a body from anyone who can reach the gateway, so it gets the update routes'
 * treatment: its form is read as it arrives ({@link AsyncBody}: no thread waits on a sender's pace), within {@code
 * gateway.limits.body-read-timeout} (else 408) and the size limit of every route that is not an update (the body size
 * filter runs before this one: else 413); whole, the request comes back through the container and the route reads its
 * form from the bytes at hand. Servlet containers read a form with a blocking read, which is what this replaces.
 */
final class BackChannelBody extends OncePerRequestFilter {

    private static final String ARRIVED = BackChannelBody.class.getName() + ".arrived";

    private final long timeoutMillis;
    private final ErrorResponder responder;

    BackChannelBody(Duration timeout, ErrorResponder responder) {
        this.timeoutMillis = timeout.toMillis();
        this.responder = responder;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod())
                && Routes.Sessions.BACKCHANNEL_LOGOUT.equals(request.getRequestURI()
                        .substring(request.getContextPath().length())));
    }

    /** The dispatch that brings the body back must come through here too, to hand it to the route. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] arrived = (byte[]) request.getAttribute(ARRIVED);
        if (arrived != null) {
            request.removeAttribute(ARRIVED);
            chain.doFilter(new FormAtHand(request, arrived), response);
            return;
        }
        if (request.getContentLengthLong() == 0) {
            chain.doFilter(new FormAtHand(request, new byte[0]), response);
            return;
        }
        AsyncBody.read(
                request,
                new byte[0],
                timeoutMillis,
                body -> request.setAttribute(ARRIVED, body),
                new AsyncBody.Ending() {
                    @Override
                    public void refuse(GatewayException refusal, AsyncContext async) {
                        HttpServletResponse answer = (HttpServletResponse) async.getResponse();
                        try {
                            responder.write((HttpServletRequest) async.getRequest(), answer, refusal);
                            answer.flushBuffer();
                        } catch (IOException gone) {
                            // the sender left: nobody to answer
                        }
                    }

                    @Override
                    public void callerLeft() {
                        // nobody to answer, and nothing was ended
                    }
                });
    }

    /** The request with its form read from the bytes that arrived ({@code application/x-www-form-urlencoded}). */
    private static final class FormAtHand extends HttpServletRequestWrapper {

        private final byte[] body;
        private final Map<String, String[]> form;

        FormAtHand(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
            this.form = parse(request.getContentType(), body);
        }

        private static Map<String, String[]> parse(@Nullable String contentType, byte[] body) {
            Map<String, String[]> form = new LinkedHashMap<>();
            if (contentType == null
                    || !contentType
                            .toLowerCase(java.util.Locale.ROOT)
                            .startsWith("application/x-www-form-urlencoded")) {
                return form;
            }
            try {
                for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int equals = pair.indexOf('=');
                    String name =
                            URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                    String value =
                            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                    String[] values = form.get(name);
                    if (values == null) {
                        form.put(name, new String[] {value});
                    } else {
                        String[] more = java.util.Arrays.copyOf(values, values.length + 1);
                        more[values.length] = value;
                        form.put(name, more);
                    }
                }
            } catch (IllegalArgumentException badEscape) {
                form.clear(); // not a form: the route finds no logout_token, and refuses with 400
            }
            return Collections.unmodifiableMap(form);
        }

        @Override
        public @Nullable String getParameter(String name) {
            String[] values = form.get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return form;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(form.keySet());
        }

        @Override
        public String @Nullable [] getParameterValues(String name) {
            return form.get(name);
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is at hand");
                }

                @Override
                public int read() {
                    return in.read();
                }
            };
        }
    }
}
