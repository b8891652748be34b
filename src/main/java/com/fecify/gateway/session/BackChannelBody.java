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
import java.io.InputStream;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.util.MultiValueMap;
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

        /** Spring's form reader on the bytes at hand; anything that is not a form is an empty one (then 400). */
        private static Map<String, String[]> parse(@Nullable String contentType, byte[] body) {
            try {
                if (contentType == null
                        || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(
                                MediaType.parseMediaType(contentType))) {
                    return Map.of();
                }
                HttpHeaders headers = new HttpHeaders();
                headers.setContentType(MediaType.parseMediaType(contentType));
                MultiValueMap<String, String> form = new FormHttpMessageConverter().read(null, new HttpInputMessage() {
                    @Override
                    public InputStream getBody() {
                        return new ByteArrayInputStream(body);
                    }

                    @Override
                    public HttpHeaders getHeaders() {
                        return headers;
                    }
                });
                Map<String, String[]> parameters = new LinkedHashMap<>();
                form.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
                return Collections.unmodifiableMap(parameters);
            } catch (IOException | IllegalArgumentException notAForm) {
                return Map.of();
            }
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
