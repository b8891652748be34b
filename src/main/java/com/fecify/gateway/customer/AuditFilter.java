package com.fecify.gateway.customer;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.RequestIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
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
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1)
class AuditFilter extends OncePerRequestFilter {

    private static final Logger audit = LoggerFactory.getLogger("fecify.audit");

    private final Meter.MeterProvider<Counter> updates;

    AuditFilter(MeterRegistry meters) {
        this.updates = Counter.builder("fecify.gateway.updates")
                .description("Update attempts by caller and outcome (the audit lines, counted)")
                .withRegistry(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(("PATCH".equals(request.getMethod()) && path.startsWith("/v1/customers/"))
                || ("POST".equals(request.getMethod()) && ErrorResponder.DROP_IN_PATH.equals(path)));
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
            } else {
                // waiting for the store (LateAnswer): the line is written once the answer has gone out, on the
                // thread that completed the exchange, with this thread's logging context (request id, trace)
                Map<String, String> context = MDC.getCopyOfContextMap();
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        Map<String, String> previous = MDC.getCopyOfContextMap();
                        MDC.setContextMap(context == null ? Map.of() : context);
                        try {
                            log(request, response.getStatus(), record);
                        } finally {
                            MDC.setContextMap(previous == null ? Map.of() : previous);
                        }
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            }
        }
    }

    private void log(HttpServletRequest request, int status, UpdateAudit record) {
        Caller caller = Caller.of(request);
        if (caller == null) {
            return;
        }
        ErrorCode error = ErrorResponder.errorCodeOf(request);
        String outcome = status >= 200 && status < 300 ? "success" : error != null ? error.code() : "http_" + status;
        updates.withTags("caller", caller.metricTag(), "outcome", outcome).increment();
        Long customerId = record.customerId();
        long upstreamMillis = record.upstreamMillis();
        String customer = customerId == null ? "-" : customerId.toString();
        String fields = record.fields().isEmpty() ? "-" : String.join(",", record.fields());
        String upstream = upstreamMillis < 0 ? "-" : Long.toString(upstreamMillis);
        // the same facts twice: readable in the message, and as named keys for structured (JSON) logs, where
        // request_id and caller come from the logging context (a key may appear only once in a JSON line)
        String previousCaller = MDC.get(Caller.MDC_KEY);
        MDC.put(Caller.MDC_KEY, caller.id());
        try {
            audit.atInfo()
                    .addKeyValue("customer_id", customer)
                    .addKeyValue("fields", fields)
                    .addKeyValue("outcome", outcome)
                    .addKeyValue("status", status)
                    .addKeyValue("upstream_ms", upstream)
                    .log(
                            "update request_id={} caller={} customer_id={} fields={} outcome={} status={}"
                                    + " upstream_ms={}",
                            RequestIds.of(request),
                            caller.id(),
                            customer,
                            fields,
                            outcome,
                            status,
                            upstream);
        } finally {
            if (previousCaller == null) {
                MDC.remove(Caller.MDC_KEY);
            } else {
                MDC.put(Caller.MDC_KEY, previousCaller);
            }
        }
    }
}
