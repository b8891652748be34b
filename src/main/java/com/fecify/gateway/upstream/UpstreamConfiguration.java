package com.fecify.gateway.upstream;

import com.fecify.gateway.InvalidConfigurationException;
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
class UpstreamConfiguration {

    @Bean
    FecifyClient fecifyClient(
            FecifyProperties properties,
            WebClient.Builder webClientBuilder,
            JsonMapper jsonMapper,
            MeterRegistry meterRegistry,
            RecentOutcomes fecifyHealthIndicator,
            ObjectProvider<BuildProperties> buildProperties) {
        InvalidConfigurationException.throwIfAny(properties.problems());
        AccessTokenSource tokens = properties.accessTokenFile() != null
                ? AccessTokenSource.fromFile(properties.accessTokenFile())
                : AccessTokenSource.fixed(properties.accessToken());
        // One connection a permitted call: the semaphore in FecifyClient keeps callers from queueing here.
        ConnectionProvider pool = ConnectionProvider.builder("fecify")
                .maxConnections(properties.maxConcurrentRequests())
                .maxIdleTime(Duration.ofSeconds(20))
                .evictInBackground(Duration.ofSeconds(30))
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
        return new FecifyClient(
                webClient, pool, properties, tokens, jsonMapper, meterRegistry, fecifyHealthIndicator, userAgent);
    }

    /** The {@code fecify} component of {@code /actuator/health} (the bean name minus "HealthIndicator"). */
    @Bean
    RecentOutcomes fecifyHealthIndicator() {
        return new RecentOutcomes(Clock.systemUTC());
    }
}
