package com.fecify.gateway.error;

import com.fecify.gateway.Routes;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that turns a {@link GatewayException} into an answer: RFC 9457 problem+json on the {@code /v1}
 * routes (and everywhere else), the Fecify-style envelope on the drop-in route. Used by the controller advice, the
 * security entry points, the filters and the {@code /error} path alike, so every error looks the same.
 */
@Component
public class ErrorResponder {

    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);
    private static final String REALM = "Bearer realm=\"fecify-gateway\"";

    private final JsonMapper jsonMapper;

    ErrorResponder(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /**
     * What to answer for {@code failure}: the {@link GatewayException} it is or wraps (body readers wrap it in their
     * own exceptions); anything else is a failure nobody foresaw, logged with its stack trace under the request id and
     * answered {@code internal_error} without a cause.
     */
    public GatewayException answerFor(HttpServletRequest request, Throwable failure) {
        GatewayException known = gatewayExceptionIn(failure);
        if (known != null) {
            return known;
        }
        if (callerWentAway(failure)) {
            // nobody is left to answer, and nothing is wrong with the gateway
            log.debug("Caller went away [request_id={}]: {}", RequestIds.of(request), failure.toString());
        } else {
            log.error("Unexpected failure [request_id={}]", RequestIds.of(request), failure);
        }
        return GatewayException.internalError();
    }

    private static boolean callerWentAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (DisconnectedClientHelper.isClientDisconnectedException(t)
                    || (t instanceof IOException
                            && t.getMessage() != null
                            && t.getMessage().contains("closed"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A {@link GatewayException} anywhere in the cause chain, or null. */
    public static @Nullable GatewayException gatewayExceptionIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GatewayException gateway) {
                return gateway;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    public ResponseEntity<Object> render(HttpServletRequest request, GatewayException error) {
        return render(request, error, HttpHeaders.EMPTY);
    }

    /** The answer for {@code error}; {@code extraHeaders} (such as {@code Allow}) are kept. */
    public ResponseEntity<Object> render(HttpServletRequest request, GatewayException error, HttpHeaders extraHeaders) {
        ErrorCode code = error.errorCode();
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(extraHeaders);
        Duration retryAfter = error.retryAfter();
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ceilSeconds(retryAfter))));
        }
        if (code == ErrorCode.UNAUTHORIZED && !headers.containsHeader(HttpHeaders.WWW_AUTHENTICATE)) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, REALM);
        }
        String path = originalPath(request);
        String requestId = RequestIds.of(request);
        if (Routes.DROP_IN.equals(path)) {
            // the drop-in route's callers expect Fecify's own envelope instead of problem+json
            headers.setContentType(MediaType.APPLICATION_JSON);
            return ResponseEntity.status(code.status()).headers(headers).body(envelope(error, requestId));
        }
        headers.setContentType(PROBLEM_JSON);
        return ResponseEntity.status(code.status()).headers(headers).body(problem(error, path, requestId));
    }

    /**
     * Writes the answer to the servlet response, for filters, security handlers and routes. It stays in the buffer
     * and leaves when the request ends, after the filters on the way out (the audit line, the update metrics) have
     * recorded it, as an answer from an exception handler would, and Tomcat sets {@code Content-Length} then (setting
     * it here would send the answer at once, since Tomcat closes a response as soon as its announced length has been
     * written). An answer that must leave now (one that waited for the store) is flushed by its writer.
     *
     * @return the outcome written, or null when the response was already on its way (that answer stands)
     */
    public @Nullable Outcome write(HttpServletRequest request, HttpServletResponse response, GatewayException error)
            throws IOException {
        return write(request, response, error, HttpHeaders.EMPTY);
    }

    public @Nullable Outcome write(
            HttpServletRequest request, HttpServletResponse response, GatewayException error, HttpHeaders extraHeaders)
            throws IOException {
        if (response.isCommitted()) {
            // too late to answer: the answer on its way is the one the caller gets
            return null;
        }
        ResponseEntity<Object> entity = render(request, error, extraHeaders);
        response.resetBuffer();
        response.setStatus(entity.getStatusCode().value());
        if (hasUnreadBody(request)) {
            // the container closes the connection rather than read the rest at the caller's pace
            // (max-swallow-size 0): said in the answer, so that no client sends its next request on it
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        entity.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.getOutputStream().write(jsonMapper.writeValueAsBytes(entity.getBody()));
        return error.errorCode().outcome();
    }

    private static boolean hasUnreadBody(HttpServletRequest request) {
        boolean body = request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (!body) {
            return false;
        }
        try {
            return !request.getInputStream().isFinished();
        } catch (IOException | IllegalStateException e) {
            return true;
        }
    }

    /** The problem+json body for {@code error} on {@code path}, as a route of the API answers it. */
    public ProblemDetail problem(GatewayException error, String path, String requestId) {
        ErrorCode code = error.errorCode();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), error.detail());
        problem.setType(URI.create(code.type()));
        problem.setTitle(code.title());
        try {
            // the path as the request line had it, already percent-encoded: taken as it is, not encoded again
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException ignored) {
            // A path that cannot be a URI is simply not echoed.
        }
        problem.setProperty("code", code.code());
        problem.setProperty("request_id", requestId);
        if (!error.violations().isEmpty() || code == ErrorCode.VALIDATION_FAILED) {
            problem.setProperty("errors", error.violations());
        }
        if (error.upstreamCode() != null) {
            problem.setProperty("upstream_code", error.upstreamCode());
        }
        return problem;
    }

    private static Map<String, @Nullable Object> envelope(GatewayException error, String requestId) {
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("code", error.errorCode().status().value());
        envelope.put("message", error.detail());
        envelope.put("data", null);
        envelope.put("errors", error.violations());
        envelope.put("error_code", error.errorCode().code());
        if (error.upstreamCode() != null) {
            envelope.put("upstream_code", error.upstreamCode());
        }
        envelope.put("request_id", requestId);
        return envelope;
    }

    private static String originalPath(HttpServletRequest request) {
        Object forwarded = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = forwarded instanceof String s ? s : request.getRequestURI();
        String context = request.getContextPath();
        return !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
