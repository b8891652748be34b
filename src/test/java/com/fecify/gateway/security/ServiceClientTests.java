package com.fecify.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayHarness;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Service clients described in configuration: a field list that is enforced, and a rate per client. */
@ExtendWith(OutputCaptureExtension.class)
class ServiceClientTests extends GatewayHarness {

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void clients(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("gateway.clients.newsletter.key-sha256", () -> sha256("newsletter-key"));
        registry.add("gateway.clients.newsletter.fields", () -> "accepts_marketing, note");
        registry.add("gateway.clients.busy.key-sha256", () -> sha256("busy-key"));
        registry.add("gateway.clients.busy.fields", () -> "note");
        registry.add("gateway.clients.busy.rate-per-second", () -> "100000");
        registry.add("gateway.clients.slow.key-sha256", () -> sha256("slow-key"));
        registry.add("gateway.clients.slow.rate-per-second", () -> "2");
    }

    @Test
    void clientMaySendOnlyItsFields(CapturedOutput output) {
        storeAnswers(successEnvelope(574));
        double forbiddenBefore = forbiddenCount("newsletter");

        update("newsletter-key", "{\"accepts_marketing\":2,\"note\":\"unsubscribed by mail\"}")
                .expectStatus()
                .isOk();
        update("newsletter-key", "{\"accepts_marketing\":2,\"first_name\":\"x\",\"phone\":\"123\"}")
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("forbidden")
                .jsonPath("$.detail")
                .isEqualTo("Caller 'newsletter' may not change: first_name, phone.")
                .jsonPath("$.errors[*].field")
                .isEqualTo(java.util.List.of("first_name", "phone"));

        assertThat(storeCalls()).isEqualTo(1);
        assertThat(output.getOut())
                .contains("caller=newsletter customer_id=574 fields=accepts_marketing,first_name,phone"
                        + " outcome=forbidden status=403 upstream_ms=-");
        assertThat(forbiddenCount("newsletter") - forbiddenBefore).isEqualTo(1);
    }

    /**
     * A refusal is audited and counted before it leaves, not just soon after: whoever reads the log or the metrics
     * once the caller has its answer finds it there (each attempt would miss about one time in seven if the answer
     * left first, as it did while the refusal was sent the moment its announced length had been written).
     */
    @Test
    void everyRefusalIsAuditedAndCountedBeforeItsAnswerLeaves(CapturedOutput output) {
        double before = forbiddenCount("busy");
        for (int i = 1; i <= 100; i++) {
            String requestId = "refused-" + i;
            var answer = api().patch()
                    .uri("/v1/customers/574")
                    .header("X-API-Key", "busy-key")
                    .header("X-Request-Id", requestId)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"phone\":\"123\"}")
                    .exchange()
                    .expectStatus()
                    .isForbidden()
                    .returnResult(byte[].class);
            assertThat(answer.getResponseHeaders().getContentLength()).isEqualTo(answer.getResponseBody().length);
            assertThat(output.getOut()).contains("request_id=" + requestId + " caller=busy");
            assertThat(forbiddenCount("busy") - before).isEqualTo(i);
        }
        assertThat(storeCalls()).isZero();
    }

    private double forbiddenCount(String caller) {
        var counter = meters.find("fecify.gateway.updates")
                .tags("caller", caller, "outcome", "forbidden")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void forbiddenFieldWinsOverAnInvalidValue() {
        update("newsletter-key", "{\"first_name\":null}").expectStatus().isForbidden();
    }

    @Test
    void callerOverItsRateGets429WithRetryAfterAndRecovers() throws Exception {
        storeAnswers(successEnvelope(574));
        int ok = 0;
        String retryAfter = null;
        for (int i = 0; i < 4 && retryAfter == null; i++) {
            var result = update("slow-key", "{\"note\":\"n\"}").returnResult(String.class);
            if (result.getStatus().value() == 200) {
                ok++;
            } else {
                assertThat(result.getStatus().value()).isEqualTo(429);
                assertThat(result.getResponseBody()).contains("\"code\":\"rate_limited\"");
                retryAfter = result.getResponseHeaders().getFirst("Retry-After");
            }
        }
        assertThat(ok).as("a bucket of one second's worth: 2").isEqualTo(2);
        assertThat(retryAfter).isEqualTo("1");
        assertThat(storeCalls()).as("nothing upstream for the refused one").isEqualTo(2);
        assertThat(meters.counter("fecify.gateway.rate.limited", "caller", "slow")
                        .count())
                .isEqualTo(1);

        // other callers are not affected
        update(KEY, "{\"note\":\"n\"}").expectStatus().isOk();

        Thread.sleep(600);
        update("slow-key", "{\"note\":\"n\"}").expectStatus().isOk();
    }

    private RestTestClient.ResponseSpec update(String key, String body) {
        return api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }
}
