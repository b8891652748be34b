package com.fecify.gateway.error;

/**
 * How one update attempt ended, decided once, where it ends: the HTTP status its caller got and the one word that the
 * audit line ({@code outcome=}) and the {@code fecify.gateway.updates} counter ({@code outcome} tag) both use. An
 * error's word is its {@link ErrorCode#code()}; every error has its outcome ({@link ErrorCode#outcome()}).
 *
 * @param status the answer's HTTP status ({@code 499} when the caller left before it, as nginx logs it)
 * @param word {@code success}, {@code dry_run}, {@code client_closed} or an error code
 */
public record Outcome(int status, String word) {

    public static final Outcome SUCCESS = new Outcome(200, "success");

    /** An accepted dry run: everything but the store call. */
    public static final Outcome DRY_RUN = new Outcome(200, "dry_run");

    /** The caller went away before its answer: not a success, whatever the store did. */
    public static final Outcome CLIENT_CLOSED = new Outcome(499, "client_closed");

    /**
     * The outcome of an answer the update exchange did not write itself: a refusal by a filter on the way in (Spring
     * Security's 403, the rate limit's 429, the size limit's 413) or by Spring MVC (405, 415). Each of those statuses
     * is the status of exactly one error ({@code OutcomeTests} checks it), so the word is the code the caller read;
     * any other status is {@code http_<status>}.
     */
    public static Outcome ofStatus(int status) {
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.BAD_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 500 -> ErrorCode.INTERNAL_ERROR;
            default -> null;
        };
        return code != null ? code.outcome() : new Outcome(status, "http_" + status);
    }
}
