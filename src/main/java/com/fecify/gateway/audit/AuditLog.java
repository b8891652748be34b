package com.fecify.gateway.audit;

import com.fecify.gateway.Caller;
import com.fecify.gateway.error.Outcome;
import com.fecify.gateway.error.RequestIds;
import com.fecify.gateway.update.UpdateAudit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The audit line of one update attempt, and its count in {@code fecify.gateway.updates} by caller and outcome: request
 * id, caller, customer id, the names of the fields (never their values), outcome, HTTP status, upstream latency.
 */
@Component
public class AuditLog {

    private static final Logger lines = LoggerFactory.getLogger("fecify.audit");

    private final Meter.MeterProvider<Counter> updates;

    AuditLog(MeterRegistry meters) {
        this.updates = Counter.builder("fecify.gateway.updates")
                .description("Update attempts by caller and outcome (the audit lines, counted)")
                .withRegistry(meters);
    }

    /** One line and one count, for the update attempt {@code audit} describes, ended with {@code outcome}. */
    public void write(String requestId, Caller caller, UpdateAudit audit, Outcome outcome) {
        updates.withTags("caller", caller.metricTag(), "outcome", outcome.word())
                .increment();
        Long customerId = audit.customerId();
        List<String> fieldNames = audit.fields();
        long upstreamMillis = audit.upstreamMillis();
        String customer = customerId == null ? "-" : customerId.toString();
        String fields = fieldNames.isEmpty() ? "-" : String.join(",", fieldNames);
        String upstream = upstreamMillis < 0 ? "-" : Long.toString(upstreamMillis);
        // the same facts twice: readable in the message, and as named keys for structured (JSON) logs, where
        // request_id and caller come from the logging context (a key may appear only once in a JSON line)
        // a caller id can come from a token (a JWT's sub): nothing in it may start a line of its own, and in the plain
        // line nothing in it may read as a key of its own ("bob outcome=success" is written
        // bob\u0020outcome\u003dsuccess)
        String callerId = printable(caller.id(), false);
        String plainCallerId = printable(caller.id(), true);
        String previousCaller = MDC.get(Caller.MDC_KEY);
        String previousRequestId = MDC.get(RequestIds.MDC_KEY);
        MDC.put(Caller.MDC_KEY, callerId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            lines.atInfo()
                    .addKeyValue("customer_id", customer)
                    .addKeyValue("fields", fields)
                    .addKeyValue("outcome", outcome.word())
                    .addKeyValue("status", outcome.status())
                    .addKeyValue("upstream_ms", upstream)
                    .log(
                            "update request_id={} caller={} customer_id={} fields={} outcome={} status={}"
                                    + " upstream_ms={}",
                            requestId,
                            plainCallerId,
                            customer,
                            fields,
                            outcome.word(),
                            outcome.status(),
                            upstream);
        } finally {
            restore(Caller.MDC_KEY, previousCaller);
            restore(RequestIds.MDC_KEY, previousRequestId);
        }
    }

    /**
     * {@code text} with every control character written as {@code \\uXXXX}; for a value of the plain line
     * ({@code asValue}), also every space, {@code =}, {@code "} and {@code \\}, so that the value reads as one and
     * cannot pass for another key.
     */
    static String printable(String text, boolean asValue) {
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c)
                    || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u2028'
                    || c == '\u2029'
                    || (asValue
                            && (Character.isWhitespace(c)
                                    || Character.isSpaceChar(c)
                                    || c == '='
                                    || c == '"'
                                    || c == '\\'));
            if (control && clean == null) {
                clean = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (clean != null) {
                if (control) {
                    clean.append(String.format("\\u%04x", (int) c));
                } else {
                    clean.append(c);
                }
            }
        }
        return clean == null ? text : clean.toString();
    }

    private static void restore(String key, @Nullable String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
