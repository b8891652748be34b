package com.fecify.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.GatewayHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code GATEWAY_AUTH=none}: no caller key needed, no keys configured, and the audit says who: anonymous. */
@ExtendWith(OutputCaptureExtension.class)
class AuthenticationOffTests extends GatewayHarness {

    @DynamicPropertySource
    static void authOff(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("gateway.auth", () -> "none");
        registry.add("gateway.api-keys", () -> "");
    }

    @Test
    void updatesWithoutCredentials(CapturedOutput output) {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("X-Request-Id", "no-auth-1")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(output.getOut()).contains("request_id=no-auth-1 caller=anonymous customer_id=574"));
    }
}
