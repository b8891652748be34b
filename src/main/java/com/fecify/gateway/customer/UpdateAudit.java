package com.fecify.gateway.customer;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the audit line of one update attempt will say; filled in as the request goes along. */
final class UpdateAudit {

    private static final String ATTRIBUTE = UpdateAudit.class.getName();

    private final String caller;
    private volatile @Nullable Long customerId;
    private volatile List<String> fields = List.of();
    private volatile long upstreamNanos = -1;

    private UpdateAudit(String caller) {
        this.caller = caller;
    }

    /** The audit of this request, created on first use; the caller is the authenticated client id. */
    static UpdateAudit of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof UpdateAudit audit) {
            return audit;
        }
        Principal principal = request.getUserPrincipal();
        UpdateAudit audit = new UpdateAudit(principal == null ? "anonymous" : principal.getName());
        request.setAttribute(ATTRIBUTE, audit);
        return audit;
    }

    /** Records what the body asked for; an id of 0 (invalid) is not recorded. */
    void update(long customerId, List<String> fields) {
        this.customerId = customerId > 0 ? customerId : null;
        this.fields = fields;
    }

    void upstreamNanos(long nanos) {
        this.upstreamNanos = nanos;
    }

    String caller() {
        return caller;
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
