package com.fecify.gateway.customer;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the audit line of one update attempt will say; filled in as the request goes along. */
final class UpdateAudit {

    private static final String ATTRIBUTE = UpdateAudit.class.getName();

    private volatile @Nullable Long customerId;
    private volatile List<String> fields = List.of();
    private volatile long upstreamNanos = -1;
    private volatile Map<String, String> loggingContext = Map.of();

    /** The audit of this request, created on first use. */
    static UpdateAudit of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof UpdateAudit audit) {
            return audit;
        }
        UpdateAudit audit = new UpdateAudit();
        request.setAttribute(ATTRIBUTE, audit);
        return audit;
    }

    /** Records what the body asked for; an id of 0 (invalid) is not recorded. */
    void update(long customerId, List<String> fields) {
        this.customerId = customerId > 0 ? customerId : null;
        this.fields = List.copyOf(fields);
    }

    /** The customer named in the path, before the body is read; null when the path's id is not valid. */
    void customerId(@Nullable Long customerId) {
        this.customerId = customerId;
    }

    void upstreamNanos(long nanos) {
        this.upstreamNanos = nanos;
    }

    /** The request thread's logging context (request id, trace), for the line written on the async dispatch. */
    void loggingContext(@Nullable Map<String, String> context) {
        this.loggingContext = context == null ? Map.of() : context;
    }

    Map<String, String> loggingContext() {
        return loggingContext;
    }

    @Nullable
    Long customerId() {
        return customerId;
    }

    List<String> fields() {
        return fields;
    }

    /** Upstream latency in milliseconds, or -1 when the store was not called. */
    long upstreamMillis() {
        return upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000;
    }
}
