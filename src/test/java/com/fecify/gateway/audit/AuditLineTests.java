package com.fecify.gateway.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.GatewayHarness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** SPEC "Logs": one audit line per authenticated update attempt, with the path's customer id, whatever the outcome. */
@ExtendWith(OutputCaptureExtension.class)
class AuditLineTests extends GatewayHarness {

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void clients(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("fecify.response-timeout", () -> "5s");
        registry.add("gateway.clients.trickle.key-sha256", () -> sha256("trickle-key"));
        registry.add("gateway.clients.trickle.rate-per-second", () -> "1");
        registry.add("gateway.clients.leaver.key-sha256", () -> sha256("leaver-key"));
    }

    @Test
    void bodyThatIsNotJsonIsAuditedWithThePathsCustomerId(CapturedOutput output) {
        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .header("X-Request-Id", "not-json-1")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{first_name:")
                .exchange()
                .expectStatus()
                .isBadRequest();

        assertThat(output.getOut())
                .contains("request_id=not-json-1 caller=billing customer_id=574 fields=- outcome=malformed_json");
    }

    @Test
    void rateLimitedUpdateIsAuditedWithThePathsCustomerId(CapturedOutput output) {
        storeAnswers(successEnvelope(575));
        int status = 200;
        for (int i = 0; i < 5 && status != 429; i++) {
            status = api().patch()
                    .uri("/v1/customers/575")
                    .header("X-API-Key", "trickle-key")
                    .header("X-Request-Id", "trickle-" + i)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"note\":\"n\"}")
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
        }

        assertThat(status).isEqualTo(429);
        assertThat(output.getOut()).containsPattern("caller=trickle customer_id=575 fields=- outcome=rate_limited");
    }

    /** An answer that never reached its caller is not a success, in the audit line or in the metrics. */
    @Test
    void callerThatGoesAwayWhileTheStoreWorksIsNotASuccess(CapturedOutput output) throws Exception {
        fecify.stubFor(post(STORE_PATH).willReturn(okJson(successEnvelope(574)).withFixedDelay(700)));
        double successesBefore = count("success");

        String body = "{\"note\":\"gone\"}";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoLinger(true, 0); // gone at once, as a killed or timed-out client goes
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH /v1/customers/574 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: leaver-key\r\n"
                            + "X-Request-Id: leaver-1\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> storeCalls() == 1);
        }

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut()).contains("request_id=leaver-1 caller=leaver"));
        assertThat(output.getOut())
                .contains("request_id=leaver-1 caller=leaver customer_id=574 fields=note outcome=client_closed");
        assertThat(count("success") - successesBefore).isZero();
        assertThat(count("client_closed")).isEqualTo(1);
    }

    private double count(String outcome) {
        Counter counter = meters.find("fecify.gateway.updates")
                .tags("caller", "leaver", "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
