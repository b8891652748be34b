package com.fecify.gateway;

import jakarta.servlet.ServletRequest;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and what it may change, as decided by the security layer and enforced by the update flow. Kept as a
 * request attribute so that the two share this record and nothing else.
 *
 * @param id the caller's name for the audit line: a client id, a JWT subject, or {@code anonymous}
 * @param metricTag a bounded value for metric tags: the client id, {@code end_user} or {@code anonymous}
 * @param fields the fields the caller may send, or null for all of them
 * @param customerId the only customer the caller may update (end users), or null for any
 * @param rate the caller's rate-limit bucket
 */
public record Caller(
        String id,
        String metricTag,
        @Nullable Set<String> fields,
        @Nullable Long customerId,
        RateBucket rate) {

    public static final Caller ANONYMOUS = new Caller("anonymous", "anonymous", null, null, RateBucket.UNLIMITED);

    /** The key under which the caller's id is in the logging context (MDC). */
    public static final String MDC_KEY = "caller";

    private static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        fields = fields == null ? null : Set.copyOf(fields);
    }

    public void bindTo(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    /** The caller bound to this request, or null before authentication. */
    public static @Nullable Caller of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : null;
    }

    /** An end user (a JWT), as opposed to a service client. */
    public boolean isEndUser() {
        return customerId != null;
    }

    public boolean mayChange(String field) {
        return fields == null || fields.contains(field);
    }
}
