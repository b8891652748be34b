package com.fecify.gateway.audit;

import com.fecify.gateway.Caller;
import com.fecify.gateway.FilterOrders;
import com.fecify.gateway.Routes;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.fields.CustomerChanges;
import com.fecify.gateway.update.UpdateAudit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes exactly one audit line per update attempt that got past caller authentication, whatever its outcome:
 * request id, caller, customer id, the names of the fields (never their values), outcome, HTTP status and upstream
 * latency; and counts it in {@code fecify.gateway.updates} by caller and outcome. Wraps Spring Security, so that
 * refusals made there after authentication (403, 429) are audited too; an unauthenticated attempt has no caller and
 * no audit line.
 */
@Component
@Order(FilterOrders.AUDIT)
public class AuditFilter extends OncePerRequestFilter {

    private final AuditLog auditLog;

    AuditFilter(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return Routes.of(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UpdateAudit record = UpdateAudit.of(request);
        if ("PATCH".equals(request.getMethod())) {
            // the path's id, known before the body is read, for a refusal that never reads it (429, malformed body)
            String uri = request.getRequestURI();
            record.customerId(CustomerChanges.customerId(uri.substring(uri.lastIndexOf('/') + 1)));
        }
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            if (!request.isAsyncStarted()) {
                // the exchange's own outcome, or a refusal on the way in (security, the size limit), told by status
                Outcome outcome = record.outcome();
                if (outcome == null) {
                    outcome = Outcome.ofStatus(failed ? 500 : response.getStatus());
                }
                log(Caller.of(request), RequestIds.of(request), outcome, record);
            } else {
                // the body is still arriving: the exchange tells the record how it ended, on the thread of the
                // dispatch that answers (or of the container's callback where the read fails); the line gets this
                // thread's logging context (request id, trace) and what it knows of the request
                Map<String, String> context = MDC.getCopyOfContextMap();
                Caller caller = Caller.of(request);
                String requestId = RequestIds.of(request);
                record.whenAnswered(outcome -> {
                    Map<String, String> previous = MDC.getCopyOfContextMap();
                    MDC.setContextMap(context == null ? Map.of() : context);
                    try {
                        log(caller, requestId, outcome, record);
                    } finally {
                        MDC.setContextMap(previous == null ? Map.of() : previous);
                    }
                });
            }
        }
    }

    private void log(@Nullable Caller caller, String requestId, Outcome outcome, UpdateAudit record) {
        if (caller == null || record.itemized()) {
            // unauthenticated: no caller to audit; a batch: one line per item, written as each ends
            return;
        }
        auditLog.write(requestId, caller, record, outcome);
    }
}
