package com.fecify.gateway.store;

import com.fecify.gateway.SecretSource;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

/**
 * Calls the store's update-customer endpoint without blocking a thread: at most so many calls in flight (a
 * Resilience4j bulkhead), none while the circuit breaker is open, retried and timed out as configured; each answer
 * read by {@link StoreAnswers}. Only the allow-listed headers are sent; the token is added here and nowhere else.
 * Each call is timed by outcome; the health component reads the breaker and the last call.
 */
public class StoreClient implements DisposableBean {

    static final String TOKEN_HEADER = "skill-access-token";
    private static final Logger log = LoggerFactory.getLogger(StoreClient.class);

    private final WebClient webClient;
    private final ConnectionProvider pool;
    private final URI endpoint;
    private final SecretSource tokens;
    private final StoreAnswers answers;
    private final Duration responseTimeout;
    private final StoreProperties.Retry retry;
    private final StoreHealth health;
    private final String userAgent;
    private final Map<StoreOutcome, Timer> timers = new EnumMap<>(StoreOutcome.class);
    private final Counter retries;
    private final CircuitBreaker breaker;
    private final Bulkhead inFlight;
    private final InFlightShares shares;
    private final Duration openWait;
    private final Mono<StoreReply> timedOut;
    private volatile long openedAtNanos;

    StoreClient(
            WebClient webClient,
            ConnectionProvider pool,
            StoreProperties properties,
            SecretSource tokens,
            StoreAnswers answers,
            MeterRegistry registry,
            StoreHealth health,
            CircuitBreaker breaker,
            Bulkhead inFlight,
            InFlightShares shares,
            String userAgent) {
        this.webClient = webClient;
        this.pool = pool;
        this.endpoint = properties.updateCustomerUri();
        this.tokens = tokens;
        this.answers = answers;
        this.responseTimeout = properties.responseTimeout();
        this.retry = properties.retry();
        this.health = health;
        this.userAgent = userAgent;
        this.breaker = breaker;
        this.inFlight = inFlight;
        this.shares = shares;
        this.openWait = properties.circuitBreaker().waitDurationInOpenState();
        this.timedOut = Mono.error(() -> new StoreFailure(
                StoreOutcome.TIMEOUT,
                ErrorCode.UPSTREAM_TIMEOUT,
                "The store did not answer within " + responseTimeout.toMillis() + " ms."));
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtNanos = System.nanoTime();
            }
            log.warn("Circuit breaker around the store: {}", event.getStateTransition());
        });
        for (StoreOutcome outcome : StoreOutcome.values()) {
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
     * Sends {@code body} (already validated, {@code id} included) to the store, for {@code caller} (a caller id: its
     * calls in flight are counted against its share).
     *
     * @return the store's answer, or an error signal carrying a {@link GatewayException}
     */
    public Mono<StoreReply> updateCustomer(long customerId, byte[] body, String requestId, String caller) {
        return Mono.defer(() -> {
            // the caller's share of the in-flight limit first, then the limit itself
            if (!shares.tryTake(caller)) {
                return Mono.error(new GatewayException(
                        ErrorCode.UPSTREAM_BUSY,
                        "This caller has " + shares.most() + " calls to the store in flight, its share of the"
                                + " gateway's; try again shortly.",
                        List.of(),
                        StoreAnswers.DEFAULT_RETRY_AFTER,
                        null));
            }
            return call(customerId, body, requestId).doFinally(signal -> shares.giveBack(caller));
        });
    }

    private Mono<StoreReply> call(long customerId, byte[] body, String requestId) {
        return Mono.defer(() -> {
                    Timer.Sample sample = Timer.start();
                    return exchange(customerId, body, requestId)
                            .doOnSuccess(reply -> finish(sample, StoreOutcome.SUCCESS, requestId, null))
                            .doOnError(StoreFailure.class, e -> finish(sample, e.outcome(), requestId, e));
                })
                // the breaker counts only a failing store (its recordException); the bulkhead, outermost, is taken
                // first, so a call the breaker holds back frees its slot at once
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .transformDeferred(BulkheadOperator.of(inFlight))
                .onErrorMap(
                        CallNotPermittedException.class,
                        e -> new GatewayException(
                                ErrorCode.UPSTREAM_BUSY,
                                "The store has been failing; the gateway holds calls back for a moment.",
                                List.of(),
                                untilHalfOpen(),
                                null))
                .onErrorMap(
                        BulkheadFullException.class,
                        e -> new GatewayException(
                                ErrorCode.UPSTREAM_BUSY,
                                "Too many calls to the store are in flight; try again shortly.",
                                List.of(),
                                StoreAnswers.DEFAULT_RETRY_AFTER,
                                null));
    }

    private Mono<StoreReply> exchange(long customerId, byte[] body, String requestId) {
        Mono<StoreReply> attempt = webClient
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
                        .map(bytes -> answers.read(
                                response.statusCode().value(),
                                response.headers().asHttpHeaders(),
                                bytes,
                                customerId)))
                .onErrorMap(
                        e -> !(e instanceof GatewayException) && !(e instanceof StoreAnswers.Retryable),
                        StoreClient::transportFailure);
        return attempt.retryWhen(Retry.backoff(retry.maxAttempts() - 1, minBackoff())
                        .maxBackoff(Duration.ofSeconds(2))
                        .jitter(0.5)
                        .filter(StoreAnswers.Retryable.class::isInstance)
                        .doBeforeRetry(signal -> retries.increment())
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(StoreAnswers.Retryable.class, StoreAnswers.Retryable::failure)
                // with a fallback rather than the TimeoutException: without one, Reactor names the whole operator
                // chain for the exception's message on every subscription (a regex per operator; 1.7 % of the samples
                // in a profile of the settled cold benchmark)
                .timeout(Mono.delay(responseTimeout), timedOut);
    }

    /**
     * While open: the rest of the open wait; while half-open with every trial call taken: a second. The open time is
     * kept here because Resilience4j's breaker does not say when its open state ends (only its internal state knows).
     */
    private Duration untilHalfOpen() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return StoreAnswers.DEFAULT_RETRY_AFTER;
        }
        Duration left = openWait.minusNanos(System.nanoTime() - openedAtNanos);
        return left.compareTo(StoreAnswers.DEFAULT_RETRY_AFTER) < 0 ? StoreAnswers.DEFAULT_RETRY_AFTER : left;
    }

    private Duration minBackoff() {
        Duration configured = retry.initialBackoff();
        return configured.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : configured;
    }

    /** Connection refused, reset or closed before an answer: worth another attempt. */
    private static RuntimeException transportFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return StoreAnswers.badResponse("it is too large");
            }
        }
        return new StoreAnswers.Retryable(new StoreFailure(
                StoreOutcome.UNAVAILABLE,
                ErrorCode.UPSTREAM_UNAVAILABLE,
                "The store could not be reached, or it closed the connection without an answer."));
    }

    private void finish(Timer.Sample sample, StoreOutcome outcome, String requestId, @Nullable StoreFailure e) {
        long nanos = sample.stop(timers.get(outcome));
        health.lastCall(outcome);
        if (e != null && outcome != StoreOutcome.NOT_FOUND && outcome != StoreOutcome.REJECTED) {
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
}
