package com.fecify.gateway.update;

import com.fecify.gateway.error.Outcome;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the audit line of one update attempt will say; filled in as the request goes along. */
public final class UpdateAudit {

    private static final String ATTRIBUTE = UpdateAudit.class.getName();

    private volatile @Nullable Long customerId;
    private volatile List<String> fields = List.of();
    private volatile long upstreamNanos = -1;
    private volatile @Nullable Answered whenAnswered;
    private volatile @Nullable Outcome outcome;
    private volatile boolean dryRun;
    private volatile boolean itemized;

    /** The audit of this request, created on first use. */
    public static UpdateAudit of(HttpServletRequest request) {
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
    public void customerId(@Nullable Long customerId) {
        this.customerId = customerId;
    }

    public void upstreamNanos(long nanos) {
        this.upstreamNanos = nanos;
    }

    /** A dry run: answered without the store. */
    public void dryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** A batch, whose items are audited one by one: the request itself gets no line once its items are under way. */
    public void itemized(boolean itemized) {
        this.itemized = itemized;
    }

    public boolean itemized() {
        return itemized;
    }

    /** What to do once an answer given after its request thread had left has gone out: the audit line. */
    public void whenAnswered(Answered action) {
        this.whenAnswered = action;
    }

    /** How the update ended; null when the exchange did not answer it (a refusal on the way in: told by status). */
    @Nullable
    public Outcome outcome() {
        return outcome;
    }

    /**
     * How the update ended, decided once by the exchange: kept for the audit filter, or, for an answer given after its
     * request thread had left (a body that arrived late), audited now.
     */
    public void answered(Outcome outcome) {
        this.outcome = outcome;
        Answered action = whenAnswered;
        whenAnswered = null;
        if (action != null) {
            action.answered(outcome);
        }
    }

    /** What the audit does once the answer is known. */
    @FunctionalInterface
    public interface Answered {
        public void answered(Outcome outcome);
    }

    @Nullable
    public Long customerId() {
        return customerId;
    }

    public List<String> fields() {
        return fields;
    }

    /** Upstream latency in milliseconds, or -1 when the store was not called. */
    public long upstreamMillis() {
        return upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000;
    }
}
