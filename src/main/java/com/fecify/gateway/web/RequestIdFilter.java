package com.fecify.gateway.web;

import com.fecify.gateway.FilterOrders;
import com.fecify.gateway.error.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id before anything else runs: the caller's {@code X-Request-Id} when it is sane, a new one
 * otherwise. The id is echoed on the answer, sent upstream and put in the logging context.
 */
@Component
@Order(FilterOrders.REQUEST_ID)
class RequestIdFilter extends OncePerRequestFilter {

    private static final Pattern SANE = Pattern.compile(RequestIds.SANE);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = RequestIds.of(request);
        if ("-".equals(requestId)) {
            requestId = chooseId(request.getHeader(RequestIds.HEADER));
            RequestIds.set(request, requestId);
            response.setHeader(RequestIds.HEADER, requestId);
        }
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    static String chooseId(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : RequestIds.newId();
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    /** A body that arrived late comes back in an async dispatch: its log lines keep the request's id. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
