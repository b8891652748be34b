package com.fecify.gateway.error;

import org.springframework.http.HttpStatus;

/**
 * Every error the gateway answers with: the table of SPEC.md plus the generic HTTP errors. The {@link #code()} strings
 * are a stable contract for callers and dashboards.
 */
public enum ErrorCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "validation_failed", "Request validation failed"),
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, "malformed_json", "Malformed JSON body"),
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "bad_request", "Bad request"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),
    CUSTOMER_NOT_FOUND(HttpStatus.NOT_FOUND, "customer_not_found", "Customer not found"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not_found", "Not found"),
    /** The caller did not send its body within {@code gateway.limits.body-read-timeout}. */
    REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT, "request_timeout", "Request timeout"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Unsupported media type"),
    UPSTREAM_REJECTED(HttpStatus.UNPROCESSABLE_CONTENT, "upstream_rejected", "Rejected by the store"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "Too many requests"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal error"),
    /** A request the server does not implement: an unknown transfer coding, {@code CONNECT}. */
    NOT_IMPLEMENTED(HttpStatus.NOT_IMPLEMENTED, "not_implemented", "Not implemented"),
    UPSTREAM_AUTH_FAILED(HttpStatus.BAD_GATEWAY, "upstream_auth_failed", "Store refused the gateway"),
    UPSTREAM_UNAVAILABLE(HttpStatus.BAD_GATEWAY, "upstream_unavailable", "Store unavailable"),
    UPSTREAM_BAD_RESPONSE(HttpStatus.BAD_GATEWAY, "upstream_bad_response", "Bad answer from the store"),
    /** Same {@code code} as {@link #UPSTREAM_UNAVAILABLE}: the gateway holds back, the caller should retry later. */
    UPSTREAM_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "upstream_unavailable", "Store unavailable"),
    UPSTREAM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "upstream_timeout", "Store timed out");

    private static final String TYPE_PREFIX = "urn:fecify-gateway:problem:";

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final Outcome outcome;

    ErrorCode(HttpStatus status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
        this.outcome = new Outcome(status.value(), code);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** An update answered with this error: its status, and its code as the audit's and the metric's word. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The code for an error status that the servlet container (not the application) decided: a refused request, an
     * unknown path, a failure.
     */
    public static ErrorCode forContainerStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 501 -> NOT_IMPLEMENTED;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }

    /** The problem {@code type}: one URN per {@link #code()}. */
    public String type() {
        return TYPE_PREFIX + code;
    }
}
