package com.fecify.gateway.upstream;

import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the store's update-customer endpoint without blocking a thread, and turns every way the call can end into
 * either an {@link UpstreamReply} or a {@link GatewayException} from the SPEC's error table. Only the allow-listed
 * headers are sent; the token is added here and nowhere else. Each exchange is timed and fed to the health component.
 */
public class FecifyClient implements DisposableBean {

    static final String TOKEN_HEADER = "skill-access-token";
    private static final Logger log = LoggerFactory.getLogger(FecifyClient.class);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_MESSAGE_CHARS = 500;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final WebClient webClient;
    private final ConnectionProvider pool;
    private final URI endpoint;
    private final String origin;
    private final AccessTokenSource tokens;
    private final JsonMapper jsonMapper;
    private final Duration responseTimeout;
    private final FecifyProperties.Retry retry;
    private final Semaphore inFlight;
    private final RecentOutcomes recentOutcomes;
    private final String userAgent;
    private final Map<UpstreamOutcome, Timer> timers = new EnumMap<>(UpstreamOutcome.class);
    private final Counter retries;
    private final CircuitBreaker breaker;
    private final Duration openWait;
    private volatile long openedAtNanos;

    FecifyClient(
            WebClient webClient,
            ConnectionProvider pool,
            FecifyProperties properties,
            AccessTokenSource tokens,
            JsonMapper jsonMapper,
            MeterRegistry registry,
            RecentOutcomes recentOutcomes,
            CircuitBreaker breaker,
            String userAgent) {
        this.webClient = webClient;
        this.pool = pool;
        this.endpoint = properties.updateCustomerUri();
        this.origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        this.tokens = tokens;
        this.jsonMapper = jsonMapper;
        this.responseTimeout = properties.responseTimeout();
        this.retry = properties.retry();
        this.inFlight = new Semaphore(properties.maxConcurrentRequests());
        this.recentOutcomes = recentOutcomes;
        this.userAgent = userAgent;
        this.breaker = breaker;
        this.openWait = properties.circuitBreaker().waitDurationInOpenState();
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtNanos = System.nanoTime();
            }
            log.warn("Circuit breaker around the store: {}", event.getStateTransition());
        });
        for (UpstreamOutcome outcome : UpstreamOutcome.values()) {
            timers.put(
                    outcome,
                    Timer.builder("fecify.upstream.requests")
                            .description("Calls to the Fecify store's update-customer endpoint, retries included")
                            .tag("outcome", outcome.tag())
                            .publishPercentileHistogram()
                            .register(registry));
        }
        this.retries = Counter.builder("fecify.upstream.retries")
                .description("Upstream attempts repeated after a connection failure or a 502/503/504")
                .register(registry);
    }

    /**
     * Sends {@code body} (already validated, {@code id} included) to the store.
     *
     * @return the store's answer, or an error signal carrying a {@link GatewayException}
     */
    public Mono<UpstreamReply> updateCustomer(long customerId, byte[] body, String requestId) {
        return Mono.defer(() -> {
            if (!breaker.tryAcquirePermission()) {
                return Mono.error(new GatewayException(
                        ErrorCode.UPSTREAM_BUSY,
                        "The store has been failing; the gateway holds calls back for a moment.",
                        List.of(),
                        untilHalfOpen(),
                        null));
            }
            if (!inFlight.tryAcquire()) {
                breaker.releasePermission();
                return Mono.error(new GatewayException(
                        ErrorCode.UPSTREAM_BUSY,
                        "Too many calls to the store are in flight; try again shortly.",
                        List.of(),
                        DEFAULT_RETRY_AFTER,
                        null));
            }
            InFlightSlot slot = new InFlightSlot(inFlight);
            Timer.Sample sample = Timer.start();
            long start = System.nanoTime();
            return exchange(customerId, body, requestId)
                    .doOnSuccess(reply -> {
                        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        finish(sample, UpstreamOutcome.SUCCESS, requestId, null);
                    })
                    .doOnError(GatewayException.class, e -> {
                        UpstreamOutcome outcome = UpstreamOutcome.of(e.errorCode());
                        if (outcome.isStoreFailure()) {
                            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                        } else {
                            // an answer, even a refusal, is a store that works
                            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        }
                        finish(sample, outcome, requestId, e);
                    })
                    // the slot is free before the answer travels on, so the caller's next call can take it
                    .doOnTerminate(slot::release)
                    .doOnCancel(() -> {
                        breaker.releasePermission();
                        slot.release();
                    });
        });
    }

    private Mono<UpstreamReply> exchange(long customerId, byte[] body, String requestId) {
        Mono<UpstreamReply> attempt = webClient
                .post()
                .uri(endpoint)
                .headers(headers -> {
                    headers.setContentType(MediaType.APPLICATION_JSON);
                    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                    headers.set(HttpHeaders.USER_AGENT, userAgent);
                    headers.set("X-Request-Id", requestId);
                    headers.set(TOKEN_HEADER, tokens.current());
                })
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> interpret(
                                response.statusCode().value(),
                                response.headers().asHttpHeaders(),
                                bytes,
                                customerId)))
                .onErrorMap(
                        e -> !(e instanceof GatewayException) && !(e instanceof Retryable),
                        FecifyClient::transportFailure);
        return attempt.retryWhen(Retry.backoff(retry.maxAttempts() - 1, minBackoff())
                        .maxBackoff(Duration.ofSeconds(2))
                        .jitter(0.5)
                        .filter(Retryable.class::isInstance)
                        .doBeforeRetry(signal -> retries.increment())
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(Retryable.class, Retryable::failure)
                // a timer publisher rather than timeout(Duration), which names the whole operator chain for its
                // message on every subscription
                .timeout(Mono.delay(responseTimeout))
                .onErrorMap(
                        TimeoutException.class,
                        e -> new GatewayException(
                                ErrorCode.UPSTREAM_TIMEOUT,
                                "The store did not answer within " + responseTimeout.toMillis() + " ms."));
    }

    /** While open: the rest of the open wait; while half-open with every trial call taken: a second. */
    private Duration untilHalfOpen() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration left = openWait.minusNanos(System.nanoTime() - openedAtNanos);
        return left.compareTo(DEFAULT_RETRY_AFTER) < 0 ? DEFAULT_RETRY_AFTER : left;
    }

    private Duration minBackoff() {
        Duration configured = retry.initialBackoff();
        return configured.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : configured;
    }

    /** Reads one upstream answer: the HTTP status first, then the envelope's own {@code code}. */
    UpstreamReply interpret(int status, HttpHeaders headers, byte[] bytes, long customerId) {
        // parsed as sent; only what reaches a caller is redacted (the message, or a success that echoes secrets)
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode envelope = parseEnvelope(text);
        if (status < 200 || status >= 300) {
            Integer envelopeCode = envelope == null ? null : envelopeCode(envelope);
            throw failure(status, envelopeCode != null ? envelopeCode : status, envelope, headers, customerId, "HTTP ");
        }
        if (envelope == null) {
            throw badResponse("it is not a JSON object");
        }
        Integer code = envelopeCode(envelope);
        if (code == null) {
            throw badResponse("it has no numeric \"code\"");
        }
        if (code == 200) {
            JsonNode data = envelope.get("data");
            if (data == null || !data.isObject()) {
                throw badResponse("\"data\" is not an object");
            }
            if (!tokens.isIn(text) && !text.contains(origin)) {
                return new UpstreamReply(text, data);
            }
            JsonNode clean = redactStrings(envelope);
            return new UpstreamReply(jsonMapper.writeValueAsString(clean), clean.get("data"));
        }
        throw failure(code, code, envelope, headers, customerId, "code ");
    }

    private RuntimeException failure(
            int status,
            int upstreamCode,
            @Nullable JsonNode envelope,
            HttpHeaders headers,
            long customerId,
            String what) {
        String message = envelope == null ? null : message(envelope);
        message = message == null ? null : redact(message);
        if (status == 401 || status == 403) {
            return new GatewayException(
                    ErrorCode.UPSTREAM_AUTH_FAILED,
                    "The store refused the gateway's credentials (" + what + status + "); the operator must check the"
                            + " store token.");
        }
        if (status == 404) {
            return new GatewayException(
                    ErrorCode.CUSTOMER_NOT_FOUND,
                    "The store has no customer " + customerId + (message == null ? "." : ": " + message));
        }
        if (status == 429) {
            return new GatewayException(
                    ErrorCode.UPSTREAM_BUSY,
                    "The store asks the gateway to slow down (" + what + status + "); try again later.",
                    List.of(),
                    retryAfter(headers),
                    upstreamCode);
        }
        if (status >= 500 && status <= 599) {
            GatewayException unavailable = new GatewayException(
                    ErrorCode.UPSTREAM_UNAVAILABLE,
                    "The store failed (" + what + status + "); try again later.",
                    List.of(),
                    null,
                    upstreamCode);
            return status >= 502 && status <= 504 ? new Retryable(unavailable) : unavailable;
        }
        if (what.startsWith("HTTP") && (status < 400 || status > 499)) {
            return badResponse("HTTP status " + status);
        }
        return new GatewayException(
                ErrorCode.UPSTREAM_REJECTED,
                message == null ? "The store rejected the update (" + what + status + ")." : message,
                List.of(),
                null,
                upstreamCode);
    }

    /** The store's text without the token or the store's address, which callers must never see. */
    private String redact(String text) {
        String clean = tokens.redact(text);
        return clean.contains(origin) ? clean.replace(origin, "[store]") : clean;
    }

    /** A copy of {@code node} with every string value redacted; names and structure stay as they are. */
    private JsonNode redactStrings(JsonNode node) {
        if (node.isString()) {
            return jsonMapper.getNodeFactory().stringNode(redact(node.stringValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = jsonMapper.createObjectNode();
            node.properties().forEach(property -> copy.set(property.getKey(), redactStrings(property.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = jsonMapper.createArrayNode();
            node.values().forEach(value -> copy.add(redactStrings(value)));
            return copy;
        }
        return node;
    }

    private @Nullable JsonNode parseEnvelope(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = jsonMapper.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static @Nullable Integer envelopeCode(JsonNode envelope) {
        JsonNode code = envelope.get("code");
        if (code == null) {
            return null;
        }
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            return code.intValue();
        }
        if (code.isString() && DIGITS.matcher(code.stringValue()).matches()) {
            return Integer.parseInt(code.stringValue());
        }
        return null;
    }

    /** The envelope's message, cut short and stripped of control characters. */
    private static @Nullable String message(JsonNode envelope) {
        JsonNode message = envelope.get("message");
        if (message == null || !message.isString() || message.stringValue().isBlank()) {
            return null;
        }
        String clean = CONTROL.matcher(message.stringValue()).replaceAll(" ").strip();
        return clean.length() > MAX_MESSAGE_CHARS ? clean.substring(0, MAX_MESSAGE_CHARS) + "…" : clean;
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
        if (wait.compareTo(DEFAULT_RETRY_AFTER) < 0) {
            return DEFAULT_RETRY_AFTER;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static GatewayException badResponse(String why) {
        return new GatewayException(
                ErrorCode.UPSTREAM_BAD_RESPONSE, "The store's answer is not a usable JSON envelope: " + why + ".");
    }

    /** Connection refused, reset or closed before an answer: worth another attempt. */
    private static RuntimeException transportFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return badResponse("it is too large");
            }
        }
        return new Retryable(new GatewayException(
                ErrorCode.UPSTREAM_UNAVAILABLE,
                "The store could not be reached, or it closed the connection without an answer.",
                List.of(),
                null,
                null));
    }

    private void finish(Timer.Sample sample, UpstreamOutcome outcome, String requestId, @Nullable GatewayException e) {
        long nanos = sample.stop(timers.get(outcome));
        recentOutcomes.record(outcome);
        if (e != null && outcome != UpstreamOutcome.NOT_FOUND && outcome != UpstreamOutcome.REJECTED) {
            log.warn(
                    "Upstream call failed [request_id={}] outcome={} after_ms={}: {}",
                    requestId,
                    outcome.tag(),
                    nanos / 1_000_000,
                    e.getMessage());
        }
    }

    @Override
    public void destroy() {
        pool.dispose();
    }

    /** One permit of the in-flight limit, given back exactly once whichever way the call ends. */
    private static final class InFlightSlot {

        private final Semaphore permits;
        private final AtomicBoolean held = new AtomicBoolean(true);

        InFlightSlot(Semaphore permits) {
            this.permits = permits;
        }

        void release() {
            if (held.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }

    /** A failure that another attempt may cure; unwrapped to its {@link GatewayException} once retries run out. */
    private static final class Retryable extends RuntimeException {

        private final GatewayException failure;

        Retryable(GatewayException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }

        GatewayException failure() {
            return failure;
        }
    }
}
