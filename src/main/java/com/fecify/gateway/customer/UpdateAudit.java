package com.fecify.gateway.customer;

import com.fecify.gateway.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the audit line of one update attempt will say; filled in as the request goes along. */
final class UpdateAudit {

    private static final String ATTRIBUTE = UpdateAudit.class.getName();

    private volatile @Nullable Long customerId;
    private volatile List<String> fields = List.of();
    private volatile long upstreamNanos = -1;
    private volatile @Nullable Answered whenAnswered;
    private volatile boolean dryRun;
    private volatile boolean itemized;

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

    /** A dry run: audited as {@code dry_run} when accepted. */
    void dryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** A batch, whose items are audited one by one: the request itself gets no line once its items are under way. */
    void itemized(boolean itemized) {
        this.itemized = itemized;
    }

    boolean itemized() {
        return itemized;
    }

    /** What to do once an answer that waited for the store has been written (or could not be): the audit line. */
    void whenAnswered(Answered action) {
        this.whenAnswered = action;
    }

    /** The answer went out with this status, or {@link AuditFilter#CLIENT_CLOSED} when the caller had gone. */
    void answered(int status) {
        answered(status, null);
    }

    /** The same, naming the error answered where the request does not know it yet. */
    void answered(int status, @Nullable ErrorCode error) {
        Answered action = whenAnswered;
        whenAnswered = null;
        if (action != null) {
            action.answered(status, error);
        }
    }

    /** What the audit does once the answer is known. */
    @FunctionalInterface
    interface Answered {
        void answered(int status, @Nullable ErrorCode error);
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
