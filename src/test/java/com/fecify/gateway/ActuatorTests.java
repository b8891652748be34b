package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Actuator on its own port: health with probes and the fecify component, info, prometheus, metrics; nothing else. */
class ActuatorTests extends GatewayHarness {

    @DynamicPropertySource
    static void ownContext(DynamicPropertyRegistry registry) {
        // a context of its own, so that the fecify component sees only this class's calls
        defaults(registry);
        registry.add("spring.application.name", () -> "fecify-gateway-actuator-test");
    }

    @Test
    void healthHasProbesAndTheFecifyComponentOutsideReadiness() {
        storeAnswers(successEnvelope(574));
        patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();

        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.fecify.status")
                .isEqualTo("UP")
                .jsonPath("$.components.fecify.details.last_outcome")
                .isEqualTo("success");
        management()
                .get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");

        // the store fails: the component goes DOWN, readiness stays UP (a failing store must not drain every pod)
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 4; i++) {
            patch(574, "{\"first_name\":\"x\"}").expectStatus().isEqualTo(502);
        }
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody()
                .jsonPath("$.components.fecify.status")
                .isEqualTo("DOWN")
                .jsonPath("$.components.fecify.details.failed_calls")
                .isEqualTo(4);
        management()
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.fecify")
                .doesNotExist();

        // and UP again once the store answers
        storeAnswers(successEnvelope(574));
        for (int i = 0; i < 5; i++) {
            patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();
        }
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.fecify.status")
                .isEqualTo("UP");
    }

    @Test
    void prometheusShowsTheUpstreamTimerByOutcomeAndHttpServerRequests() {
        storeAnswers(successEnvelope(574));
        patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();

        String scrape = scrape();

        assertThat(scrape)
                .containsPattern("fecify_upstream_requests_seconds_count\\{.*outcome=\"success\".*} [1-9]")
                .contains("fecify_upstream_requests_seconds_bucket")
                .contains("http_server_requests_seconds_count")
                .doesNotContain(TOKEN);
        for (String outcome : new String[] {
            "success", "not_found", "rejected", "auth_failed", "unavailable", "timeout", "bad_response"
        }) {
            assertThat(scrape).contains("outcome=\"" + outcome + "\"");
        }
        management()
                .get()
                .uri("/actuator/metrics/fecify.upstream.requests")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.name")
                .isEqualTo("fecify.upstream.requests");
    }

    @Test
    void infoShowsTheBuild() {
        management()
                .get()
                .uri("/actuator/info")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.build.artifact")
                .isEqualTo("fecify-gateway");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "env",
                "configprops",
                "beans",
                "loggers",
                "heapdump",
                "threaddump",
                "mappings",
                "shutdown",
                "scheduledtasks",
                "caches",
                "conditions"
            })
    void exposesNothingElse(String endpoint) {
        management()
                .get()
                .uri("/actuator/" + endpoint)
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void theTokenIsInNoActuatorAnswer() {
        for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/info", "/actuator/metrics"}) {
            String answer = management()
                    .get()
                    .uri(path)
                    .exchange()
                    .returnResult(String.class)
                    .getResponseBody();
            assertThat(answer).as(path).doesNotContain(TOKEN).doesNotContain(KEY);
        }
    }
}
