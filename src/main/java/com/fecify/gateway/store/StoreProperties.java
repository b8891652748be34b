package com.fecify.gateway.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How to reach the Fecify store.
 *
 * @param baseUrl the store URL ({@code FECIFY_BASE_URL}), may carry a path prefix and a trailing slash
 * @param accessToken the store's {@code skill-access-token} ({@code FECIFY_ACCESS_TOKEN})
 * @param accessTokenFile a file holding the token ({@code FECIFY_ACCESS_TOKEN_FILE}), re-read when it changes
 * @param connectTimeout how long to wait for a TCP connection to the store
 * @param responseTimeout the longest the whole upstream exchange may take, retries included
 * @param maxConcurrentRequests how many calls may be in flight to the store at once; more are answered 503 at once
 * @param maxConcurrentRequestsPerCaller how many of those one caller may hold (half of them when unset); more are
 *     answered 503 at once, so that one caller cannot take them all while others wait
 * @param retry how failed calls are tried again
 * @param circuitBreaker when to stop calling a failing store for a while
 */
@ConfigurationProperties("fecify")
public record StoreProperties(
        @Nullable String baseUrl,
        @Nullable String accessToken,
        @Nullable Path accessTokenFile,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration responseTimeout,
        @DefaultValue("64") int maxConcurrentRequests,
        @Nullable Integer maxConcurrentRequestsPerCaller,
        @DefaultValue Retry retry,
        @DefaultValue CircuitBreaker circuitBreaker) {

    static final String UPDATE_CUSTOMER_PATH = "/api/skill/customer/update-customer";

    /**
     * Retries of connection failures and upstream 502/503/504.
     *
     * @param maxAttempts attempts in all, the first included
     * @param initialBackoff the wait before the first retry; doubled each time, with jitter
     */
    public record Retry(
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("100ms") Duration initialBackoff) {}

    /**
     * The circuit breaker around the store. Failures are the store's: unavailable, timeout, bad response.
     *
     * @param failureRateThreshold the percentage of failed calls that opens the circuit
     * @param slidingWindowSize how many recent calls the rate is taken over
     * @param minimumNumberOfCalls calls needed before the rate counts
     * @param waitDurationInOpenState how long calls are refused (503) before a few trial calls are let through
     * @param permittedCallsInHalfOpenState trial calls that decide whether to close again
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("10s") Duration waitDurationInOpenState,
            @DefaultValue("3") int permittedCallsInHalfOpenState) {}

    /** The full update-customer URL: base URL (any trailing slashes dropped) plus the Skill API path. */
    URI updateCustomerUri() {
        String base = baseUrl == null ? "" : baseUrl.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + UPDATE_CUSTOMER_PATH);
    }

    /** One caller's share of the in-flight limit: as set, or half of the limit (at least one call). */
    int maxConcurrentRequestsPerCallerOrDefault() {
        return maxConcurrentRequestsPerCaller != null
                ? maxConcurrentRequestsPerCaller
                : Math.max(1, (maxConcurrentRequests + 1) / 2);
    }

    /** What is wrong with this configuration, each naming the variable to set; empty when it can work. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (baseUrl == null || baseUrl.isBlank()) {
            problems.add("FECIFY_BASE_URL (fecify.base-url) is not set: set it to the store URL, e.g."
                    + " https://shop.example.com/apimanager666");
        } else {
            String urlProblem = baseUrlProblem(baseUrl.trim());
            if (urlProblem != null) {
                problems.add("FECIFY_BASE_URL (fecify.base-url) " + urlProblem);
            }
        }
        boolean hasToken = accessToken != null && !accessToken.isBlank();
        if (!hasToken && accessTokenFile == null) {
            problems.add("no store token: set FECIFY_ACCESS_TOKEN (fecify.access-token) or FECIFY_ACCESS_TOKEN_FILE"
                    + " (fecify.access-token-file)");
        } else if (hasToken && accessTokenFile != null) {
            problems.add("both FECIFY_ACCESS_TOKEN and FECIFY_ACCESS_TOKEN_FILE are set: set only one");
        }
        if (!isPositive(connectTimeout)) {
            problems.add("FECIFY_CONNECT_TIMEOUT (fecify.connect-timeout) must be a positive duration, e.g. 2s");
        }
        if (!isPositive(responseTimeout)) {
            problems.add("FECIFY_RESPONSE_TIMEOUT (fecify.response-timeout) must be a positive duration, e.g. 10s");
        }
        if (maxConcurrentRequests < 1) {
            problems.add("FECIFY_MAX_CONCURRENT_REQUESTS (fecify.max-concurrent-requests) must be at least 1");
        }
        if (maxConcurrentRequestsPerCaller != null
                && (maxConcurrentRequestsPerCaller < 1 || maxConcurrentRequestsPerCaller > maxConcurrentRequests)) {
            problems.add("FECIFY_MAX_CONCURRENT_REQUESTS_PER_CALLER (fecify.max-concurrent-requests-per-caller) must be"
                    + " from 1 to fecify.max-concurrent-requests (" + maxConcurrentRequests + ")");
        }
        if (retry.maxAttempts() < 1 || retry.maxAttempts() > 10) {
            problems.add("FECIFY_RETRY_MAX_ATTEMPTS (fecify.retry.max-attempts) must be between 1 and 10");
        }
        if (!(circuitBreaker.failureRateThreshold() > 0 && circuitBreaker.failureRateThreshold() <= 100)) {
            problems.add("fecify.circuit-breaker.failure-rate-threshold must be a percentage above 0, at most 100");
        }
        if (circuitBreaker.slidingWindowSize() < 1
                || circuitBreaker.minimumNumberOfCalls() < 1
                || circuitBreaker.permittedCallsInHalfOpenState() < 1) {
            problems.add("fecify.circuit-breaker sizes (sliding-window-size, minimum-number-of-calls,"
                    + " permitted-calls-in-half-open-state) must be at least 1");
        }
        if (!isPositive(circuitBreaker.waitDurationInOpenState())) {
            problems.add("fecify.circuit-breaker.wait-duration-in-open-state must be a positive duration, e.g. 10s");
        }
        if (retry.initialBackoff().isNegative()) {
            problems.add("FECIFY_RETRY_INITIAL_BACKOFF (fecify.retry.initial-backoff) must not be negative");
        }
        return problems;
    }

    private static @Nullable String baseUrlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must start with http:// or https://";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "has no host name";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must not have a query (?) or fragment (#)";
        }
        return null;
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    /** Keeps the token out of logs, failure reports and {@code /actuator/configprops}-like dumps. */
    @Override
    public String toString() {
        return "StoreProperties[baseUrl=" + baseUrl + ", accessToken=" + (accessToken == null ? "unset" : "[REDACTED]")
                + ", accessTokenFile=" + accessTokenFile + ", connectTimeout=" + connectTimeout + ", responseTimeout="
                + responseTimeout + ", maxConcurrentRequests=" + maxConcurrentRequests
                + ", maxConcurrentRequestsPerCaller=" + maxConcurrentRequestsPerCaller + ", retry=" + retry
                + ", circuitBreaker=" + circuitBreaker + "]";
    }
}
