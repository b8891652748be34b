package com.fecify.gateway.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.client.reactive.MockClientHttpRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * One store call without the network: the gateway's {@link StoreClient} as the application builds it (circuit breaker,
 * in-flight limit, retries, timeout, metrics into a Prometheus registry) builds and encodes the upstream request, and
 * reads the store's answer, which an in-memory exchange function gives back at once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StoreClientBenchmark {

    private static final byte[] BODY =
            "{\"id\":574,\"first_name\":\"yunlong2\",\"accepts_marketing\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String ENVELOPE = "{\"code\":200,\"data\":{\"id\":574,\"shop_id\":15,\"email\":\"liyunlong@pingan2.com\","
            + "\"first_name\":\"yunlong2\",\"last_name\":\"li1\",\"note\":\"\",\"phone\":\"+1 565689891\","
            + "\"created_at\":\"2026-05-25 11:35:16\",\"updated_at\":\"2026-05-25 11:37:57\",\"accepts_marketing\":1,"
            + "\"customervip_id\":0},\"message\":\"success\"}";

    private StoreClient client;

    @Setup
    public void setUp() {
        ExchangeStrategies strategies = ExchangeStrategies.withDefaults();
        ExchangeFunction store = request -> request.writeTo(
                        new MockClientHttpRequest(request.method(), request.url()), strategies)
                .then(Mono.fromSupplier(() -> ClientResponse.create(HttpStatus.OK, strategies)
                        .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                        .body(ENVELOPE)
                        .build()));
        // bound like the application binds them, so every other setting keeps its default
        StoreProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                        "fecify.base-url", "http://store.invalid/apimanager666",
                        "fecify.access-token", "bench-store-token")))
                .bindOrCreate("fecify", StoreProperties.class);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StoreConfiguration configuration = new StoreConfiguration();
        CircuitBreaker breaker = configuration.fecifyCircuitBreaker(properties, meters);
        client = configuration.fecifyClient(
                properties,
                WebClient.builder().exchangeFunction(store),
                JsonMapper.builder().build(),
                meters,
                configuration.fecifyHealthIndicator(breaker),
                breaker,
                new DefaultListableBeanFactory().getBeanProvider(BuildProperties.class));
    }

    @TearDown
    public void tearDown() {
        client.destroy();
    }

    @Benchmark
    public StoreReply updateCustomer() {
        return client.updateCustomer(574, BODY, "8a1c5e0e-1f39-4c43-9d5b-3a8c4e1f6b2d", "bench").block();
    }
}
