package com.fecify.gateway.customer;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes exactly one audit line per update attempt that got past caller authentication, whatever its outcome:
 * request id, caller, customer id, the names of the fields (never their values), outcome, HTTP status and upstream
 * latency. Runs after Spring Security (so the caller is known) and before the body size limit (so 413s are audited).
 */
@Component
@Order(0)
class AuditFilter extends OncePerRequestFilter {

    private static final Logger audit = LoggerFactory.getLogger("fecify.audit");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(("PATCH".equals(request.getMethod()) && path.startsWith("/v1/customers/"))
                || ("POST".equals(request.getMethod()) && ErrorResponder.DROP_IN_PATH.equals(path)));
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UpdateAudit record = UpdateAudit.of(request);
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            if (!request.isAsyncStarted()) {
                log(request, failed ? 500 : response.getStatus(), record);
            }
        }
    }

    private static void log(HttpServletRequest request, int status, UpdateAudit record) {
        ErrorCode error = ErrorResponder.errorCodeOf(request);
        String outcome = status >= 200 && status < 300 ? "success" : error != null ? error.code() : "http_" + status;
        Long customerId = record.customerId();
        long upstreamMillis = record.upstreamMillis();
        audit.info(
                "update request_id={} caller={} customer_id={} fields={} outcome={} status={} upstream_ms={}",
                RequestIds.of(request),
                record.caller(),
                customerId == null ? "-" : customerId,
                record.fields().isEmpty() ? "-" : String.join(",", record.fields()),
                outcome,
                status,
                upstreamMillis < 0 ? "-" : upstreamMillis);
    }
}
