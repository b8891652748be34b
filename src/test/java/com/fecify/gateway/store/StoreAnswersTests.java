package com.fecify.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fecify.gateway.SecretSource;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upstream outcome table as a plain table: every HTTP status class × envelope code × body shape, read without a
 * network. (StoreOutcomeTests runs the same table through the real HTTP stack, with retries and metrics.)
 */
class StoreAnswersTests {

    private static final String TOKEN = "store-token-7Qx9Lm2Vb4";
    private static final String ORIGIN = "http://store.internal:8089";
    private static final String DATA = "{\"id\":574,\"first_name\":\"yunlong2\"}";

    private final StoreAnswers answers = new StoreAnswers(
            JsonMapper.builder().build(),
            new StoreRedaction(
                    SecretSource.fixed(TOKEN),
                    java.net.URI.create(ORIGIN + "/apimanager666/api/skill/customer/update-customer"),
                    JsonMapper.builder().build()));

    static Stream<Arguments> table() {
        return Stream.of(
                // status, body, expected code (null: success), retryable, upstream_code
                row(200, "{\"code\":200,\"data\":" + DATA + ",\"message\":\"success\"}", null, false, null),
                row(200, "{\"code\":\"200\",\"data\":" + DATA + "}", null, false, null),
                row(201, "{\"code\":200,\"data\":" + DATA + "}", null, false, null),
                row(200, "{\"code\":404,\"message\":\"no such customer\"}", ErrorCode.CUSTOMER_NOT_FOUND, false, null),
                row(404, "", ErrorCode.CUSTOMER_NOT_FOUND, false, null),
                row(404, "{\"code\":404}", ErrorCode.CUSTOMER_NOT_FOUND, false, null),
                row(200, "{\"code\":10001,\"message\":\"phone used\"}", ErrorCode.UPSTREAM_REJECTED, false, 10001),
                row(200, "{\"code\":400}", ErrorCode.UPSTREAM_REJECTED, false, 400),
                row(400, "{\"code\":10002}", ErrorCode.UPSTREAM_REJECTED, false, 10002),
                row(400, "not json", ErrorCode.UPSTREAM_REJECTED, false, 400),
                row(422, "", ErrorCode.UPSTREAM_REJECTED, false, 422),
                row(401, "", ErrorCode.UPSTREAM_AUTH_FAILED, false, null),
                row(403, "{\"code\":403}", ErrorCode.UPSTREAM_AUTH_FAILED, false, null),
                row(200, "{\"code\":401}", ErrorCode.UPSTREAM_AUTH_FAILED, false, null),
                row(200, "{\"code\":403}", ErrorCode.UPSTREAM_AUTH_FAILED, false, null),
                row(429, "", ErrorCode.UPSTREAM_BUSY, false, 429),
                row(200, "{\"code\":429}", ErrorCode.UPSTREAM_BUSY, false, 429),
                row(500, "", ErrorCode.UPSTREAM_UNAVAILABLE, false, 500),
                row(502, "", ErrorCode.UPSTREAM_UNAVAILABLE, true, 502),
                row(503, "<html>down</html>", ErrorCode.UPSTREAM_UNAVAILABLE, true, 503),
                row(504, "", ErrorCode.UPSTREAM_UNAVAILABLE, true, 504),
                row(200, "{\"code\":500}", ErrorCode.UPSTREAM_UNAVAILABLE, false, 500),
                row(200, "{\"code\":503}", ErrorCode.UPSTREAM_UNAVAILABLE, true, 503),
                row(200, "{\"code\":599}", ErrorCode.UPSTREAM_UNAVAILABLE, false, 599),
                row(200, "", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(200, "[1,2]", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(200, "<html>", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(200, "{\"data\":" + DATA + "}", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(200, "{\"code\":1.5}", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(200, "{\"code\":200,\"data\":[]}", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(200, "{\"code\":200}", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(302, "", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null),
                row(101, "", ErrorCode.UPSTREAM_BAD_RESPONSE, false, null));
    }

    private static Arguments row(
            int status, String body, @Nullable ErrorCode expected, boolean retryable, @Nullable Integer upstreamCode) {
        return Arguments.of(status, body, expected, retryable, upstreamCode);
    }

    @ParameterizedTest(name = "[{index}] HTTP {0} {1} -> {2}")
    @MethodSource("table")
    void readsEachAnswerIntoItsOutcome(
            int status, String body, @Nullable ErrorCode expected, boolean retryable, @Nullable Integer upstreamCode) {
        Throwable thrown = catchThrowable(
                () -> answers.read(status, HttpHeaders.EMPTY, body.getBytes(StandardCharsets.UTF_8), 574));

        if (expected == null) {
            assertThat(thrown).isNull();
            return;
        }
        assertThat(thrown instanceof StoreAnswers.Retryable).as("retryable").isEqualTo(retryable);
        GatewayException failure =
                thrown instanceof StoreAnswers.Retryable again ? again.failure() : (GatewayException) thrown;
        assertThat(failure.errorCode()).isEqualTo(expected);
        assertThat(failure.upstreamCode()).as("upstream_code").isEqualTo(upstreamCode);
        assertThat(failure.detail()).isNotBlank().doesNotContain(TOKEN).doesNotContain("store.internal");
    }

    /** What a store's message may carry that a caller must never see, in every form found by the hostile probe. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("leaks")
    void storeTextReachesCallersWithoutTokenAddressOrInternals(String message, String secret) throws Exception {
        String body =
                JsonMapper.builder().build().writeValueAsString(java.util.Map.of("code", 10001, "message", message));
        Throwable thrown =
                catchThrowable(() -> answers.read(200, HttpHeaders.EMPTY, body.getBytes(StandardCharsets.UTF_8), 574));
        String detail = ((GatewayException) thrown).detail();
        assertThat(detail).doesNotContain(secret).isNotBlank();
    }

    static Stream<Arguments> leaks() {
        String base64 = java.util.Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("token " + TOKEN + " is fine, but the phone is not", TOKEN),
                Arguments.of("token " + TOKEN.toLowerCase(java.util.Locale.ROOT) + " rejected", TOKEN.toLowerCase()),
                Arguments.of("Authorization: Basic " + base64, base64),
                Arguments.of("GET /x?token=" + TOKEN + "&id=574 failed", TOKEN),
                Arguments.of("see " + ORIGIN + "/x", "store.internal"),
                Arguments.of("upstream store.internal:8089 refused", "store.internal:8089"),
                Arguments.of("no route /apimanager666/api/skill/x", "/apimanager666"),
                Arguments.of(
                        "failed\n\tat com.fecify.store.CustomerService.update(CustomerService.java:42)",
                        "CustomerService.java"),
                Arguments.of("java.lang.IllegalStateException: db pool exhausted", "java.lang.IllegalStateException"));
    }

    /** A one-character token is taken out where it stands alone, never from inside ordinary words. */
    @org.junit.jupiter.api.Test
    void shortTokenIsRedactedOnlyWhereItStandsAlone() {
        StoreAnswers shortToken = new StoreAnswers(
                JsonMapper.builder().build(),
                new StoreRedaction(
                        SecretSource.fixed("t"),
                        java.net.URI.create(ORIGIN + "/api/skill/customer/update-customer"),
                        JsonMapper.builder().build()));
        Throwable thrown = catchThrowable(() -> shortToken.read(
                200,
                HttpHeaders.EMPTY,
                "{\"code\":10001,\"message\":\"first_name rejected; token t is not valid\"}"
                        .getBytes(StandardCharsets.UTF_8),
                574));
        assertThat(((GatewayException) thrown).detail())
                .isEqualTo("first_name rejected; token [REDACTED] is not valid");
    }

    @org.junit.jupiter.api.Test
    void successThatEchoesTheTokenIsRedactedAndOtherwiseUntouched() {
        StoreReply clean = answers.read(
                200,
                HttpHeaders.EMPTY,
                ("{\"code\":200,\"data\":" + DATA + ",\"message\":\"success\"}").getBytes(StandardCharsets.UTF_8),
                574);
        assertThat(clean.envelope()).isEqualTo("{\"code\":200,\"data\":" + DATA + ",\"message\":\"success\"}");

        StoreReply echoed = answers.read(
                200,
                HttpHeaders.EMPTY,
                ("{\"code\":200,\"data\":{\"id\":574,\"note\":\"" + TOKEN + "\"}}").getBytes(StandardCharsets.UTF_8),
                574);
        assertThat(echoed.envelope()).doesNotContain(TOKEN);
        assertThat(echoed.data().get("note").asString()).isEqualTo("[REDACTED]");

        StoreReply prefixed = answers.read(
                200,
                HttpHeaders.EMPTY,
                ("{\"code\":200,\"data\":{\"id\":574,\"avatar\":\"/apimanager666/img/574.png\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                574);
        assertThat(prefixed.envelope()).doesNotContain("/apimanager666");
    }
}
