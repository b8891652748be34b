package com.fecify.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/** Every way the store can answer, mapped to the SPEC's error table, timed by outcome, with retries where allowed. */
class StoreOutcomeTests extends GatewayTestSupport {

    @Autowired
    MeterRegistry meters;

    private static Arguments row(
            String name,
            ResponseDefinitionBuilder answer,
            int status,
            String code,
            String outcome,
            int attempts,
            @Nullable String retryAfter,
            @Nullable Integer upstreamCode) {
        return Arguments.of(name, answer, status, code, outcome, attempts, retryAfter, upstreamCode);
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                row("HTTP 404", aResponse().withStatus(404), 404, "customer_not_found", "not_found", 1, null, null),
                row(
                        "envelope 404",
                        okJson("{\"code\":404,\"data\":null,\"message\":\"customer not found\"}"),
                        404,
                        "customer_not_found",
                        "not_found",
                        1,
                        null,
                        null),
                row(
                        "envelope 10001",
                        okJson("{\"code\":10001,\"data\":null,\"message\":\"phone already used\"}"),
                        422,
                        "upstream_rejected",
                        "rejected",
                        1,
                        null,
                        10001),
                row(
                        "envelope 400",
                        okJson("{\"code\":400,\"message\":\"bad phone\"}"),
                        422,
                        "upstream_rejected",
                        "rejected",
                        1,
                        null,
                        400),
                row(
                        "HTTP 400 with envelope",
                        aResponse()
                                .withStatus(400)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"code\":10002,\"message\":\"invalid\"}"),
                        422,
                        "upstream_rejected",
                        "rejected",
                        1,
                        null,
                        10002),
                row(
                        "HTTP 422 plain",
                        aResponse().withStatus(422).withBody("nope"),
                        422,
                        "upstream_rejected",
                        "rejected",
                        1,
                        null,
                        422),
                row("HTTP 401", aResponse().withStatus(401), 502, "upstream_auth_failed", "auth_failed", 1, null, null),
                row("HTTP 403", aResponse().withStatus(403), 502, "upstream_auth_failed", "auth_failed", 1, null, null),
                row(
                        "envelope 401",
                        okJson("{\"code\":401,\"message\":\"invalid token\"}"),
                        502,
                        "upstream_auth_failed",
                        "auth_failed",
                        1,
                        null,
                        null),
                row(
                        "envelope 403",
                        okJson("{\"code\":403,\"message\":\"forbidden\"}"),
                        502,
                        "upstream_auth_failed",
                        "auth_failed",
                        1,
                        null,
                        null),
                row("HTTP 500", aResponse().withStatus(500), 502, "upstream_unavailable", "unavailable", 1, null, 500),
                row("HTTP 502", aResponse().withStatus(502), 502, "upstream_unavailable", "unavailable", 3, null, 502),
                row("HTTP 503", aResponse().withStatus(503), 502, "upstream_unavailable", "unavailable", 3, null, 503),
                row("HTTP 504", aResponse().withStatus(504), 502, "upstream_unavailable", "unavailable", 3, null, 504),
                row(
                        "envelope 500",
                        okJson("{\"code\":500,\"message\":\"db down\"}"),
                        502,
                        "upstream_unavailable",
                        "unavailable",
                        1,
                        null,
                        500),
                row(
                        "envelope 503",
                        okJson("{\"code\":503,\"message\":\"maintenance\"}"),
                        502,
                        "upstream_unavailable",
                        "unavailable",
                        3,
                        null,
                        503),
                row(
                        "HTTP 429 Retry-After",
                        aResponse().withStatus(429).withHeader("Retry-After", "7"),
                        503,
                        "upstream_unavailable",
                        "unavailable",
                        1,
                        "7",
                        429),
                row(
                        "envelope 429",
                        okJson("{\"code\":429,\"message\":\"slow down\"}"),
                        503,
                        "upstream_unavailable",
                        "unavailable",
                        1,
                        "1",
                        429),
                row(
                        "connection reset",
                        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                        502,
                        "upstream_unavailable",
                        "unavailable",
                        3,
                        null,
                        null),
                row(
                        "closed without answer",
                        aResponse().withFault(Fault.EMPTY_RESPONSE),
                        502,
                        "upstream_unavailable",
                        "unavailable",
                        3,
                        null,
                        null),
                row(
                        "garbage then close",
                        aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE),
                        502,
                        "upstream_unavailable",
                        "unavailable",
                        3,
                        null,
                        null),
                row(
                        "HTML page",
                        aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/html")
                                .withBody("<html>maintenance</html>"),
                        502,
                        "upstream_bad_response",
                        "bad_response",
                        1,
                        null,
                        null),
                row(
                        "empty 200",
                        aResponse().withStatus(200),
                        502,
                        "upstream_bad_response",
                        "bad_response",
                        1,
                        null,
                        null),
                row(
                        "no code",
                        okJson("{\"data\":{\"id\":574}}"),
                        502,
                        "upstream_bad_response",
                        "bad_response",
                        1,
                        null,
                        null),
                row("array", okJson("[1,2]"), 502, "upstream_bad_response", "bad_response", 1, null, null),
                row(
                        "data not an object",
                        okJson("{\"code\":200,\"data\":[],\"message\":\"success\"}"),
                        502,
                        "upstream_bad_response",
                        "bad_response",
                        1,
                        null,
                        null),
                row(
                        "envelope over 256 KiB",
                        okJson("{\"code\":200,\"data\":{\"note\":\"" + "x".repeat(300_000)
                                + "\"},\"message\":\"success\"}"),
                        502,
                        "upstream_bad_response",
                        "bad_response",
                        1,
                        null,
                        null),
                row(
                        "redirect",
                        aResponse().withStatus(302).withHeader("Location", "/login"),
                        502,
                        "upstream_bad_response",
                        "bad_response",
                        1,
                        null,
                        null),
                row(
                        "too slow",
                        okJson(successEnvelope(574)).withFixedDelay(2500),
                        504,
                        "upstream_timeout",
                        "timeout",
                        1,
                        null,
                        null));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2} {3}")
    @MethodSource("outcomes")
    void mapsStoreAnswerToTheSpecErrorTable(
            String name,
            ResponseDefinitionBuilder answer,
            int status,
            String code,
            String outcome,
            int attempts,
            @Nullable String retryAfter,
            @Nullable Integer upstreamCode) {
        fecify.stubFor(post(STORE_PATH).willReturn(answer));
        double before = timerCount(outcome);

        var response = patch(574, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            response.expectHeader().valueEquals("Retry-After", retryAfter);
        }
        var body = response.expectBody()
                .jsonPath("$.code")
                .isEqualTo(code)
                .jsonPath("$.status")
                .isEqualTo(status)
                .jsonPath("$.detail")
                .value(
                        String.class,
                        detail -> assertThat(detail)
                                .isNotBlank()
                                .doesNotContain(fecify.baseUrl())
                                .doesNotContain("localhost")
                                .doesNotContain("Exception"));
        if (upstreamCode != null) {
            body.jsonPath("$.upstream_code").isEqualTo(upstreamCode);
        } else {
            body.jsonPath("$.upstream_code").doesNotExist();
        }

        assertThat(storeCalls()).as("attempts").isEqualTo(attempts);
        assertThat(timerCount(outcome) - before)
                .as("fecify.upstream.requests{outcome=%s}", outcome)
                .isEqualTo(1);
    }

    @Test
    void rejectedUpdateCarriesTheStoresMessage() {
        storeAnswers("{\"code\":10001,\"data\":null,\"message\":\"phone already used by another customer\"}");

        patch(574, "{\"phone\":\"+1 565689891\"}")
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("phone already used by another customer")
                .jsonPath("$.upstream_code")
                .isEqualTo(10001);
    }

    @Test
    void retriesA503AndSucceedsWhenTheStoreRecovers() {
        fecify.stubFor(post(STORE_PATH)
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        fecify.stubFor(post(STORE_PATH)
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(okJson(successEnvelope(574))));
        double retries = meters.counter("fecify.upstream.retries").count();

        patch(574, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(574);

        assertThat(storeCalls()).isEqualTo(2);
        assertThat(meters.counter("fecify.upstream.retries").count() - retries).isEqualTo(1);
        // the same body bytes each attempt
        assertThat(fecify.getAllServeEvents())
                .extracting(e -> e.getRequest().getBodyAsString())
                .containsOnly("{\"id\":574,\"first_name\":\"x\"}");
    }

    @Test
    void redactsTheTokenWhenTheStoreEchoesIt() {
        storeAnswers("{\"code\":10003,\"message\":\"token " + TOKEN + " lacks scope\"}");

        String answer = patch(574, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isEqualTo(422)
                .returnResult(String.class)
                .getResponseBody();

        assertThat(answer).doesNotContain(TOKEN).contains("[REDACTED]");
    }

    @Test
    void redactsASuccessThatEchoesTheTokenAndKeepsItValidJson() {
        storeAnswers(successEnvelope(574).replace("\"note\":\"\"", "\"note\":\"debug " + TOKEN + "\""));

        dropIn("{\"id\":574,\"first_name\":\"x\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(200)
                .jsonPath("$.data.note")
                .isEqualTo("debug [REDACTED]")
                .jsonPath("$.data.first_name")
                .isEqualTo("yunlong2");
    }

    @Test
    void dropInRouteAnswersUpstreamFailuresAsEnvelopeWithTheirStatus() {
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));

        dropIn("{\"id\":574,\"first_name\":\"x\"}")
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "3")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(503)
                .jsonPath("$.data")
                .isEmpty()
                .jsonPath("$.message")
                .isNotEmpty();
    }

    private double timerCount(String outcome) {
        var timer =
                meters.find("fecify.upstream.requests").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }
}
