package com.fecify.gateway.web;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.GatewayTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

/** W3C trace context: the caller's trace continues upstream under the gateway's own span, and in the logs. */
@ExtendWith(OutputCaptureExtension.class)
class TracingTests extends GatewayTestSupport {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void callerTraceContinuesUpstreamWithTheGatewaysOwnSpan(CapturedOutput output) {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .header("X-Request-Id", "traced-1")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .header("tracestate", "vendor=secret-value")
                .header("baggage", "user=alice")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk();

        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH))
                .withHeader("traceparent", matching("00-" + TRACE_ID + "-(?!" + CALLER_SPAN + ")[0-9a-f]{16}-0[01]"))
                .withHeader("tracestate", absent())
                .withHeader("baggage", absent()));
        // a store's answer is audited once it has left (so that a caller who went away is not a success)
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .containsPattern("\\[traced-1 " + TRACE_ID + " [0-9a-f]{16}] fecify.audit"));
    }

    @Test
    void aTraceStartsHereWhenTheCallerSendsNone() {
        storeAnswers(successEnvelope(574));

        patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();

        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH))
                .withHeader("traceparent", matching("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")));
    }

    /**
     * Exemplars only where OpenMetrics 1.0 allows them (counters, histogram buckets): Prometheus before 2.43, as
     * Debian ships it, drops the whole scrape for one exemplar on a summary's _count.
     */
    @Test
    void openMetricsScrapeCarriesExemplarsOnlyWhereTheFormatAllowsThem() {
        storeAnswers(successEnvelope(574));
        for (int i = 0; i < 3; i++) {
            api().patch()
                    .uri("/v1/customers/574")
                    .header("X-API-Key", KEY)
                    .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01") // sampled
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"first_name\":\"x\"}")
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        String scrape = management()
                .get()
                .uri("/actuator/prometheus")
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        assertThat(scrape).contains("http_server_requests_seconds_count{");
        assertThat(scrape.lines().filter(line -> line.contains(" # {")))
                .allSatisfy(line -> assertThat(line.substring(0, line.indexOf('{')))
                        .as(line)
                        .matches(".*(_total|_bucket)"));
    }
}
