package com.fecify.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The breaker opens on failures, answers 503 at once while open, half-opens and closes again by itself. */
class CircuitBreakerTests extends GatewayHarness {

    @DynamicPropertySource
    static void smallBreaker(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.retry.max-attempts", () -> "1");
        registry.add("fecify.circuit-breaker.sliding-window-size", () -> "4");
        registry.add("fecify.circuit-breaker.minimum-number-of-calls", () -> "4");
        registry.add("fecify.circuit-breaker.wait-duration-in-open-state", () -> "1s");
        registry.add("fecify.circuit-breaker.permitted-calls-in-half-open-state", () -> "2");
    }

    @Test
    void opensOnFailuresAnswersAtOnceAndRecoversByItself() throws Exception {
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 4; i++) {
            patch(574, "{\"first_name\":\"x\"}").expectStatus().isEqualTo(502);
        }
        assertThat(storeCalls()).isEqualTo(4);

        long start = System.nanoTime();
        patch(574, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("upstream_unavailable");
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("answered at once")
                .isLessThan(200);
        assertThat(storeCalls()).as("nothing sent while open").isEqualTo(4);
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.fecify.status")
                .isEqualTo("DOWN")
                .jsonPath("$.components.fecify.details.circuit")
                .isEqualTo("OPEN");
        assertThat(scrape()).contains("resilience4j_circuitbreaker_state{name=\"fecify\",state=\"open\"} 1.0");

        // the store is back; after the open wait, trial calls go through and close the circuit
        storeAnswers(successEnvelope(574));
        Thread.sleep(1200);
        for (int i = 0; i < 3; i++) {
            patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();
        }
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.fecify.details.circuit")
                .isEqualTo("CLOSED");
        assertThat(scrape()).contains("resilience4j_circuitbreaker_state{name=\"fecify\",state=\"closed\"} 1.0");
    }

    @Test
    void rejectionsDoNotOpenTheCircuit() {
        storeAnswers("{\"code\":10001,\"message\":\"phone already used\"}");
        for (int i = 0; i < 6; i++) {
            patch(574, "{\"phone\":\"123\"}").expectStatus().isEqualTo(422);
        }
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.fecify.details.circuit")
                .isEqualTo("CLOSED");
    }
}
