package com.fecify.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** CORS for the configured origins only: their preflight is answered, anything else gets no CORS headers. */
class CorsTests extends GatewayHarness {

    static final String ADMIN = "https://admin.example.com";

    @DynamicPropertySource
    static void origins(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("gateway.cors.allowed-origins", () -> ADMIN + ",http://localhost:5173");
    }

    @Test
    void preflightFromAnAllowedOriginIsAnswered() {
        api().options()
                .uri("/v1/customers/574")
                .header("Origin", ADMIN)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization, content-type, x-request-id")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", ADMIN)
                .expectHeader()
                .value("Access-Control-Allow-Methods", m -> assertThat(m).contains("PATCH"))
                .expectHeader()
                .value(
                        "Access-Control-Allow-Headers",
                        h -> assertThat(h.toLowerCase())
                                .contains("authorization")
                                .contains("content-type"))
                .expectHeader()
                .doesNotExist("Access-Control-Allow-Credentials");
        assertThat(storeCalls()).isZero();
    }

    @Test
    void preflightFromAnotherOriginIsRefusedWithoutCorsHeaders() {
        api().options()
                .uri("/v1/customers/574")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "PATCH")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .doesNotExist("Access-Control-Allow-Origin")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("forbidden");
    }

    @Test
    void browserCallFromAnAllowedOriginExposesTheRequestId() {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("Origin", ADMIN)
                .header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", ADMIN)
                .expectHeader()
                .value("Access-Control-Expose-Headers", h -> assertThat(h).contains("X-Request-Id"));
    }

    @Test
    void browserCallFromAnotherOriginIsRefusedAndNothingGoesUpstream() {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("Origin", "https://evil.example")
                .header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .doesNotExist("Access-Control-Allow-Origin");
        assertThat(storeCalls()).isZero();
    }
}
