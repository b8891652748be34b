package com.fecify.gateway.web;

import com.fecify.gateway.FilterOrders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides the caller's {@code tracestate} and {@code baggage} from the tracing layer, which would otherwise copy them to
 * the store: the store gets the gateway's own {@code traceparent} (continuing the caller's trace id) and nothing else
 * of the caller's. Runs before the server observation filter.
 */
@Component
@Order(FilterOrders.TRACE_HEADERS)
class TraceHeaderFilter extends OncePerRequestFilter {

    private static final Set<String> HIDDEN = Set.of("tracestate", "baggage");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader("tracestate") == null && request.getHeader("baggage") == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(
                new HttpServletRequestWrapper(request) {
                    @Override
                    public @Nullable String getHeader(String name) {
                        return hidden(name) ? null : super.getHeader(name);
                    }

                    @Override
                    public Enumeration<String> getHeaders(String name) {
                        return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
                    }

                    @Override
                    public Enumeration<String> getHeaderNames() {
                        return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                                .filter(name -> !hidden(name))
                                .toList());
                    }
                },
                response);
    }

    private static boolean hidden(String name) {
        return HIDDEN.contains(name.toLowerCase(Locale.ROOT));
    }
}
