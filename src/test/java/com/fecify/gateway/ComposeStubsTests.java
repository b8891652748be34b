package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The stub mappings that docker-compose.yml gives its WireMock container, loaded here in-process: the compose stack's
 * documented cases answer as the README says, without needing Docker.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "fecify.response-timeout=2s",
            "fecify.retry.initial-backoff=10ms",
            "fecify.circuit-breaker.minimum-number-of-calls=1000"
        })
class ComposeStubsTests {

    static final WireMockServer composeStore =
            new WireMockServer(options().dynamicPort().usingFilesUnderDirectory("ops/fake-store"));

    static {
        composeStore.start();
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void composeEnvironment(DynamicPropertyRegistry registry) {
        registry.add("fecify.base-url", () -> composeStore.baseUrl() + "/apimanager666");
        registry.add("fecify.access-token", () -> "compose-store-token");
        registry.add(
                "gateway.api-keys", () -> "compose:00ca62e6ece7b14189ee3b41982fcbcf57f5213792958559cefc2f407c2973ae");
    }

    @AfterAll
    static void stop() {
        composeStore.stop();
    }

    @Test
    void updatesCustomer574() {
        patch(574, "{\"first_name\":\"yunlong2\",\"accepts_marketing\":1}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(574)
                .jsonPath("$.first_name")
                .isEqualTo("yunlong2")
                .jsonPath("$.accepts_marketing")
                .isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "999, 404, customer_not_found",
        "422, 422, upstream_rejected",
        "503, 502, upstream_unavailable",
        "429, 503, upstream_unavailable"
    })
    void documentedFailureCases(long id, int status, String code) {
        patch(id, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isEqualTo(status)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(code);
    }

    private RestTestClient.ResponseSpec patch(long id, String body) {
        return RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .requestInterceptor(AnswerContract.interceptor())
                .build()
                .patch()
                .uri("/v1/customers/" + id)
                .header("X-API-Key", "compose-key")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }
}
