package com.fecify.gateway.customer;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.ErrorResponder;
import com.fecify.gateway.error.RequestIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.web.util.DisconnectedClientHelper;

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
    /** The status the audit line gives an answer its caller did not wait for (as nginx logs it). */
    static final int CLIENT_CLOSED = 499;

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

    /** The answer to an update that waited for the store is written on the async dispatch: audited there. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UpdateAudit record = UpdateAudit.of(request);
        boolean asyncDispatch = isAsyncDispatch(request);
        if (!asyncDispatch && "PATCH".equals(request.getMethod())) {
            // the path's id, known before the body is read, for a refusal that never reads it (429, malformed body)
            String uri = request.getRequestURI();
            record.customerId(CustomerUpdateReader.positiveInt(uri.substring(uri.lastIndexOf('/') + 1)));
        }
        Map<String, String> context = null;
        if (asyncDispatch) {
            context = MDC.getCopyOfContextMap();
            MDC.setContextMap(record.loggingContext());
        }
        int status = 500;
        try {
            chain.doFilter(request, response);
            if (asyncDispatch) {
                // the store's answer leaves now, so that a caller that went away is found before this line; a
                // refusal (no async) stays in the buffer until after its line, and leaves as the request ends
                response.flushBuffer();
            }
            status = response.getStatus();
        } catch (IOException e) {
            if (!DisconnectedClientHelper.isClientDisconnectedException(e)) {
                throw e;
            }
            // nobody is left to answer; the container needs no stack trace about it either
            status = CLIENT_CLOSED;
        } finally {
            if (request.isAsyncStarted()) {
                // waiting for the store: the answer and this line come on the async dispatch
                record.loggingContext(MDC.getCopyOfContextMap());
            } else {
                log(request, status, record);
            }
            if (asyncDispatch) {
                MDC.setContextMap(context == null ? Map.of() : context);
            }
        }
    }

    private void log(HttpServletRequest request, int status, UpdateAudit record) {
        Caller caller = Caller.of(request);
        if (caller == null) {
            return;
        }
        ErrorCode error = ErrorResponder.errorCodeOf(request);
        String outcome = status == CLIENT_CLOSED
                ? "client_closed"
                : status >= 200 && status < 300 ? "success" : error != null ? error.code() : "http_" + status;
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
