package com.fecify.gateway.web;

import com.fecify.gateway.FilterOrders;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.GatewayException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * TRACE, which no route has: answered here, 405 with the {@code Allow} of the route at that path (or 404 where there
 * is none), and never passed on (the servlet API's own TRACE handling echoes the request, caller key included).
 * Tomcat, left to refuse it, named every method of the dispatcher servlet in {@code Allow}.
 */
@Component
@Order(FilterOrders.TRACE_METHOD)
class TraceMethodFilter extends OncePerRequestFilter {

    private final RequestMappingHandlerMapping routes;
    private final ErrorResponder responder;

    TraceMethodFilter(@Lazy RequestMappingHandlerMapping requestMappingHandlerMapping, ErrorResponder responder) {
        this.routes = requestMappingHandlerMapping;
        this.responder = responder;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"TRACE".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        ServletRequestPathUtils.parseAndCache(request);
        Set<String> allowed = new TreeSet<>();
        for (RequestMappingInfo route : routes.getHandlerMethods().keySet()) {
            if (route.getPathPatternsCondition() != null
                    && route.getPathPatternsCondition().getMatchingCondition(request) != null) {
                route.getMethodsCondition().getMethods().stream()
                        .map(RequestMethod::name)
                        .forEach(allowed::add);
            }
        }
        if (allowed.isEmpty()) {
            responder.write(request, response, new GatewayException(ErrorCode.NOT_FOUND, "No route here."));
            return;
        }
        HttpHeaders allow = new HttpHeaders();
        allow.set(HttpHeaders.ALLOW, String.join(", ", allowed));
        responder.write(
                request,
                response,
                new GatewayException(
                        ErrorCode.METHOD_NOT_ALLOWED, "Method TRACE is not allowed here; see the Allow header."),
                allow);
    }
}
