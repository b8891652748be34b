package com.fecify.gateway.store;

import com.fecify.gateway.InvalidConfigurationException;
import com.fecify.gateway.SecretSource;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    StoreClient fecifyClient(
            StoreProperties properties,
            WebClient.Builder webClientBuilder,
            JsonMapper jsonMapper,
            MeterRegistry meterRegistry,
            StoreHealth fecifyHealthIndicator,
            CircuitBreaker fecifyCircuitBreaker,
            ObjectProvider<BuildProperties> buildProperties) {
        InvalidConfigurationException.throwIfAny(properties.problems());
        SecretSource tokens = properties.accessTokenFile() != null
                ? SecretSource.fromFile(
                        properties.accessTokenFile(), "FECIFY_ACCESS_TOKEN_FILE (fecify.access-token-file)")
                : SecretSource.fixed(properties.accessToken());
        // One connection a permitted call: the bulkhead in StoreClient keeps callers from queueing here.
        ConnectionProvider pool = ConnectionProvider.builder("fecify")
                .maxConnections(properties.maxConcurrentRequests())
                .maxIdleTime(Duration.ofSeconds(20))
                .evictInBackground(Duration.ofSeconds(30))
                // reactor_netty_connection_provider_* gauges: active, idle and pending connections to the store
                .metrics(true)
                .build();
        HttpClient httpClient = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout());
        WebClient webClient = webClientBuilder
                .clone()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .build();
        BuildProperties build = buildProperties.getIfAvailable();
        String userAgent = "fecify-gateway/" + (build != null ? build.getVersion() : "dev");
        StoreRedaction redaction = new StoreRedaction(tokens, properties.updateCustomerUri(), jsonMapper);
        return new StoreClient(
                webClient,
                pool,
                properties,
                tokens,
                new StoreAnswers(jsonMapper, redaction),
                meterRegistry,
                fecifyHealthIndicator,
                fecifyCircuitBreaker,
                Bulkhead.of(
                        "fecify",
                        BulkheadConfig.custom()
                                .maxConcurrentCalls(properties.maxConcurrentRequests())
                                .maxWaitDuration(Duration.ZERO)
                                .build()),
                new InFlightShares(properties.maxConcurrentRequestsPerCallerOrDefault()),
                userAgent);
    }

    /** One breaker, named {@code fecify}; its state and calls are exported as {@code resilience4j_circuitbreaker_*}. */
    @Bean
    CircuitBreaker fecifyCircuitBreaker(StoreProperties properties, MeterRegistry meterRegistry) {
        StoreProperties.CircuitBreaker settings = properties.circuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                // only a store that fails counts against it: an answer, even a refusal, is a store that works
                .recordException(StoreFailure::isStoreFailing)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meterRegistry);
        return registry.circuitBreaker("fecify");
    }

    /** The {@code fecify} component of {@code /actuator/health} (the bean name minus "HealthIndicator"). */
    @Bean
    StoreHealth fecifyHealthIndicator(CircuitBreaker fecifyCircuitBreaker) {
        return new StoreHealth(Clock.systemUTC(), fecifyCircuitBreaker);
    }
}
