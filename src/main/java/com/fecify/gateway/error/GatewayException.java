package com.fecify.gateway.error;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A failure with a known answer. Thrown anywhere in the request path and rendered by {@link ErrorResponder}; its
 * message is the {@code detail} callers see, so it must never hold a secret, a class name or an upstream URL.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCode errorCode;
    private final List<Violation> violations;
    private final @Nullable Duration retryAfter;
    private final @Nullable Integer upstreamCode;

    public GatewayException(
            ErrorCode errorCode,
            String detail,
            List<Violation> violations,
            @Nullable Duration retryAfter,
            @Nullable Integer upstreamCode) {
        super(detail, null, false, false);
        this.errorCode = errorCode;
        this.violations = List.copyOf(violations);
        this.retryAfter = retryAfter;
        this.upstreamCode = upstreamCode;
    }

    public GatewayException(ErrorCode errorCode, String detail) {
        this(errorCode, detail, List.of(), null, null);
    }

    /** A failure the gateway did not foresee; the detail names no cause, the log has it under the request id. */
    public static GatewayException internalError() {
        return new GatewayException(ErrorCode.INTERNAL_ERROR, "The gateway failed unexpectedly; quote the request_id.");
    }

    /** At most this many violations are listed in an answer: a hostile body cannot make it large. */
    public static final int MAX_LISTED_VIOLATIONS = 50;

    /** Every broken rule; the answer lists the first {@link #MAX_LISTED_VIOLATIONS} and counts the rest. */
    public static GatewayException validation(List<Violation> violations) {
        int total = violations.size();
        String detail;
        if (total == 1) {
            detail = "1 rule is broken; see errors.";
        } else if (total <= MAX_LISTED_VIOLATIONS) {
            detail = total + " rules are broken; see errors.";
        } else {
            detail = total + " rules are broken; errors lists the first " + MAX_LISTED_VIOLATIONS + ".";
        }
        List<Violation> listed =
                total <= MAX_LISTED_VIOLATIONS ? violations : violations.subList(0, MAX_LISTED_VIOLATIONS);
        return new GatewayException(ErrorCode.VALIDATION_FAILED, detail, listed, null, null);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public String detail() {
        return getMessage();
    }

    public List<Violation> violations() {
        return violations;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    public @Nullable Integer upstreamCode() {
        return upstreamCode;
    }
}
