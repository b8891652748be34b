package com.fecify.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Concurrent callers against a store that misbehaves in every way (too slow, resets, empty answers, 5xx bursts, 429,
 * then gone altogether, then back): every request gets exactly one well-formed answer, nothing invalid reaches the
 * store, the circuit opens and closes again, no thread or in-flight slot leaks, and the metrics count what the
 * callers saw.
 */
class ChaosTests extends GatewayHarness {

    static final int STORE_PORT = freePort();
    static final WireMockServer chaosStore = new WireMockServer(options().port(STORE_PORT));
    static final String PATH = "/shop/api/skill/customer/update-customer";
    static final String INVALID_MARKER = "invalid-must-not-reach-the-store";
    static final int CALLERS = 12;
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        chaosStore.start();
    }

    @Autowired
    CircuitBreaker fecifyCircuitBreaker;

    @Autowired
    MeterRegistry meters;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final List<String> malformed = new ArrayList<>();

    @DynamicPropertySource
    static void chaos(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.base-url", () -> "http://127.0.0.1:" + STORE_PORT + "/shop");
        registry.add("fecify.response-timeout", () -> "1s");
        registry.add("fecify.retry.max-attempts", () -> "2");
        registry.add("fecify.max-concurrent-requests", () -> "16");
        // one caller may hold them all: the last step checks that every slot, and every place of its share, came back
        registry.add("fecify.max-concurrent-requests-per-caller", () -> "16");
        registry.add("fecify.circuit-breaker.sliding-window-size", () -> "10");
        registry.add("fecify.circuit-breaker.minimum-number-of-calls", () -> "10");
        registry.add("fecify.circuit-breaker.wait-duration-in-open-state", () -> "1s");
        registry.add("fecify.circuit-breaker.permitted-calls-in-half-open-state", () -> "2");
        registry.add("gateway.rate-limit.per-second", () -> "100000");
    }

    @AfterAll
    static void stopStore() {
        chaosStore.stop();
    }

    @Test
    void everyCallerGetsOneTruthfulAnswerAndTheGatewayRecovers() throws Exception {
        List<String> transitions = new ArrayList<>();
        fecifyCircuitBreaker
                .getEventPublisher()
                .onStateTransition(
                        e -> transitions.add(e.getStateTransition().getToState().name()));
        Map<String, Double> countsBefore = updateCounts();
        stubHealthy();

        // warm up (one by one, then at full concurrency), then take the thread baseline
        run(5, id -> 574, Set.of(200), 1);
        run(40, id -> 574, Set.of(200));
        List<String> threadsBefore = gatewayThreads();

        // every fault at once, mixed with valid and invalid requests
        stub(1001, okJson(successEnvelope(1001)).withFixedDelay(1500));
        stub(1002, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        stub(1003, aResponse().withFault(Fault.EMPTY_RESPONSE));
        stub(1004, aResponse().withStatus(503));
        stub(1005, aResponse().withStatus(429).withHeader("Retry-After", "2"));
        run(240, i -> 1001 + i % 7, Set.of(200, 400, 502, 503, 504));

        // gone altogether: connection refused; the circuit must open
        chaosStore.stop();
        run(60, i -> 574, Set.of(502, 503));
        assertThat(transitions).contains("OPEN");

        // back again: after the open wait, trial calls close the circuit
        chaosStore.start();
        stubHealthy();
        Thread.sleep(1200);
        run(40, i -> 574, Set.of(200, 503));
        run(40, i -> 574, Set.of(200));
        assertThat(fecifyCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).containsSubsequence("OPEN", "HALF_OPEN", "CLOSED");

        // every in-flight slot came back: 16 slow calls at once all go through
        stub(574, okJson(successEnvelope(574)).withFixedDelay(150));
        run(16, i -> 574, Set.of(200), 16);

        assertThat(malformed).as("answers that were not one well-formed answer").isEmpty();
        assertThat(chaosStore.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                urlPathEqualTo(PATH))
                        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(INVALID_MARKER))))
                .as("invalid requests that reached the store")
                .isEmpty();
        Thread.sleep(500);
        List<String> threadsAfter = gatewayThreads();
        assertThat(threadsAfter.size())
                .as("threads after the storm: %s, before: %s", threadsAfter, threadsBefore)
                .isLessThanOrEqualTo(threadsBefore.size() + 2);
        assertThat(meters.find("reactor.netty.connection.provider.active.connections")
                        .tag("name", "fecify")
                        .gauges())
                .as("connections to the store still held")
                .isNotEmpty()
                .allSatisfy(gauge -> assertThat(gauge.value()).isZero());
        Map<String, Integer> callersSaw = new TreeMap<>();
        seen.forEach((outcome, count) -> callersSaw.put(outcome, count.get()));
        Map<String, Integer> metricsSaw = new TreeMap<>();
        updateCounts().forEach((outcome, count) -> {
            int delta = (int) (count - countsBefore.getOrDefault(outcome, 0.0));
            if (delta > 0) {
                metricsSaw.put(outcome, delta);
            }
        });
        assertThat(metricsSaw).as("fecify.gateway.updates by outcome").isEqualTo(callersSaw);
        assertThat(callersSaw).containsKeys("success", "validation_failed", "upstream_unavailable", "upstream_timeout");
    }

    /** {@code count} requests from {@link #CALLERS} threads; each answer is checked and tallied by outcome. */
    private void run(int count, java.util.function.IntUnaryOperator customer, Set<Integer> allowed) throws Exception {
        run(count, customer, allowed, CALLERS);
    }

    private void run(int count, java.util.function.IntUnaryOperator customer, Set<Integer> allowed, int callers)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int id = customer.applyAsInt(i);
                futures.add(pool.submit(() -> {
                    boolean invalid = id == 1007;
                    String body = invalid
                            ? "{\"note\":\"" + INVALID_MARKER + "\",\"accepts_marketing\":\"1\"}"
                            : "{\"first_name\":\"chaos\"}";
                    check(send(invalid ? 574 : id, body), allowed, invalid);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> send(int id, String body) throws Exception {
        return AnswerContract.send(
                client,
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/" + id))
                        .timeout(Duration.ofSeconds(5))
                        .header("X-API-Key", KEY)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    private void check(HttpResponse<String> response, Set<Integer> allowed, boolean invalid) {
        int status = response.statusCode();
        String problem = null;
        JsonNode json = null;
        try {
            json = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            problem = "not JSON";
        }
        if (!allowed.contains(status) || (invalid && status != 400)) {
            problem = "status " + status;
        } else if (json != null && status == 200 && !json.path("id").isIntegralNumber()) {
            problem = "success without a customer";
        } else if (json != null && status != 200 && !json.path("code").isString()) {
            problem = "error without a code";
        } else if (status == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
            problem = "503 without Retry-After";
        }
        if (problem != null) {
            synchronized (malformed) {
                if (malformed.size() < 10) {
                    malformed.add(problem + ": " + response.body());
                }
            }
            return;
        }
        String outcome = status == 200 ? "success" : json.path("code").asString();
        seen.computeIfAbsent(outcome, key -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Live threads but those of pools that grow to a fixed size by design (servlet request threads here and in the
     * other test contexts of this JVM, Reactor's and the JDK's shared schedulers) and this test's own fake store and
     * HTTP client.
     */
    private static List<String> gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> !name.startsWith("http-nio-")
                        && !name.startsWith("HttpClient-")
                        && !name.startsWith("qtp")
                        && !name.startsWith("ForkJoinPool")
                        && !name.startsWith("parallel-")
                        && !name.startsWith("boundedElastic-"))
                .sorted()
                .toList();
    }

    private Map<String, Double> updateCounts() {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : meters.find("fecify.gateway.updates").counters()) {
            counts.merge(counter.getId().getTag("outcome"), counter.count(), Double::sum);
        }
        return counts;
    }

    private static void stubHealthy() {
        chaosStore.resetAll();
        chaosStore.stubFor(post(PATH).atPriority(10).willReturn(okJson(successEnvelope574())));
    }

    private static String successEnvelope574() {
        return successEnvelopeFor(574);
    }

    private static void stub(int id, ResponseDefinitionBuilder answer) {
        chaosStore.stubFor(post(PATH)
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$[?(@.id == " + id + ")]"))
                .willReturn(answer));
    }
}
