package com.fecify.gateway.customer;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the audit line of one update attempt will say; filled in as the request goes along. */
final class UpdateAudit {

    private static final String ATTRIBUTE = UpdateAudit.class.getName();

    private volatile @Nullable Long customerId;
    private volatile List<String> fields = List.of();
    private volatile long upstreamNanos = -1;

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

    void upstreamNanos(long nanos) {
        this.upstreamNanos = nanos;
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
