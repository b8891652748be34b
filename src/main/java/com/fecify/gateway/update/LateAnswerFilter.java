package com.fecify.gateway.update;

import com.fecify.gateway.FilterOrders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands outside every filter that may touch the response on the way out (the audit filter, Spring Security's header
 * writer): once they have finished with the request, a {@link LateAnswer} waiting for this moment is written.
 * {@code FilterOrderTests} keeps it there.
 */
@Component
@Order(FilterOrders.LATE_ANSWER)
class LateAnswerFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            LateAnswer.requestThreadLeft(request);
        }
    }
}
