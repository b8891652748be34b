package com.fecify.gateway.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayTestSupport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

/**
 * The body rules through the HTTP stack: a broken rule is a 400 problem naming the field, and nothing reaches the
 * store. One rule of each kind here; {@code CustomerUpdateReaderTests} has them all as a plain table.
 */
class CustomerValidationTests extends GatewayTestSupport {

    /** One rule of each kind; {@code CustomerUpdateReaderTests} has every rule as a table. */
    static Stream<Arguments> brokenRules() {
        return Stream.of(
                // field, body, what the message says
                Arguments.of("first_name", "{\"first_name\":\"" + "a".repeat(101) + "\"}", "at most 100 characters"),
                Arguments.of("last_name", "{\"last_name\":\"li\\u202egnp.exe\"}", "bidirectional overrides"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":3}", "1 (accepts marketing e-mail) or 2"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":\"1\"}", "JSON integer"),
                Arguments.of("note", "{\"note\":null}", "must not be null"),
                Arguments.of("email", "{\"email\":\"new@example.com\"}", "cannot be changed through this API"),
                Arguments.of("nickname", "{\"nickname\":\"x\"}", "unknown field"),
                Arguments.of("id", "{\"id\":575,\"first_name\":\"x\"}", "must equal the id in the path (574)"));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("brokenRules")
    void rejectsBrokenRuleNamingTheFieldAndSendsNothing(String field, String body, String message) {
        patch(574, body)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("urn:fecify-gateway:problem:validation_failed")
                .jsonPath("$.title")
                .isNotEmpty()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.detail")
                .isNotEmpty()
                .jsonPath("$.code")
                .isEqualTo("validation_failed")
                .jsonPath("$.request_id")
                .isNotEmpty()
                .jsonPath("$.errors[0].field")
                .isEqualTo(field)
                .jsonPath("$.errors[0].message")
                .value(String.class, m -> assertThat(m).contains(message));
        assertThat(storeCalls()).isZero();
    }

    static Stream<String> validBodies() {
        return Stream.of(
                "{\"last_name\":\"" + "😀".repeat(100) + "\"}",
                "{\"customervip_id\":\"\",\"note\":\"vip unchanged\"}",
                "  {\"first_name\":\"white space around\"}\n  ");
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void acceptsValidBody(String body) {
        storeAnswers(successEnvelope(574));

        patch(574, body).expectStatus().isOk();

        assertThat(storeCalls()).isEqualTo(1);
    }

    @Test
    void reportsEveryViolationTogetherInBodyOrder() {
        patch(
                        574,
                        "{\"email\":\"x@y.z\",\"first_name\":null,\"accepts_marketing\":\"1\",\"phone\":\"1\","
                                + "\"foo\":1,\"payafteruse_status\":5}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()")
                .isEqualTo(6)
                .jsonPath("$.errors[*].field")
                .isEqualTo(java.util.List.of(
                        "email", "first_name", "accepts_marketing", "phone", "foo", "payafteruse_status"))
                .jsonPath("$.errors[0].rejected_value")
                .isEqualTo("x@y.z")
                .jsonPath("$.errors[2].rejected_value")
                .isEqualTo("1");
        assertThat(storeCalls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"customervip_id\":\"\"}"})
    void rejectsAnUpdateThatChangesNothing(String body) {
        patch(574, body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("validation_failed")
                .jsonPath("$.errors[0].message")
                .value(String.class, m -> assertThat(m).contains("changes nothing"));
        assertThat(storeCalls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "abc", "2147483648", "0574"})
    void rejectsAnIdThatIsNotAPositiveInteger(String id) {
        patch(id, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("validation_failed")
                .jsonPath("$.errors[0].field")
                .isEqualTo("id");
        assertThat(storeCalls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"first_name\":\"x\"}", "{\"id\":\"574\",\"note\":\"\"}"})
    void dropInRouteRequiresAPositiveIntegerIdInTheBody(String body) {
        dropIn(body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(400)
                .jsonPath("$.errors[0].field")
                .isEqualTo("id");
        assertThat(storeCalls()).isZero();
    }

    /**
     * A 57 KB body of 7,200 unknown keys once answered 1.58 MB (the allowed fields repeated in every violation) after
     * sorting them with a cost that grew with the square of the keys: now the answer lists 50 and counts the rest.
     */
    @Test
    void manyViolationsGiveASmallAnswerThatCountsThem() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 6_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        body.append('}');
        assertThat(body.length()).isLessThan(64 * 1024);

        byte[] answer = patch(574, body.toString())
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()")
                .isEqualTo(50)
                .jsonPath("$.errors[0].field")
                .isEqualTo("k0")
                .jsonPath("$.errors[1].message")
                .isEqualTo("unknown field")
                .jsonPath("$.detail")
                .isEqualTo("6000 rules are broken; errors lists the first 50.")
                .returnResult()
                .getResponseBody();
        assertThat(answer.length).isLessThan(8 * 1024);
        assertThat(storeCalls()).isZero();
    }

    /** JSON is UTF-8: overlong forms and other encodings are refused, not decoded. */
    @Test
    void bodyThatIsNotStrictUtf8IsMalformed() throws Exception {
        byte[] overlong = {'{', '"', 'n', 'o', 't', 'e', '"', ':', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] utf16 = "{\"note\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        for (byte[] body : List.of(overlong, utf16)) {
            java.net.http.HttpResponse<String> answer = AnswerContract.send(
                    java.net.http.HttpClient.newHttpClient(),
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://localhost:" + port + "/v1/customers/574"))
                            .header("X-API-Key", KEY)
                            .header("Content-Type", "application/json")
                            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                            .build());
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("\"code\":\"malformed_json\"").contains("UTF-8");
        }
        assertThat(storeCalls()).isZero();
    }

    @Test
    void dropInRouteAppliesTheSameFieldRules() {
        dropIn("{\"id\":574,\"accepts_marketing\":\"1\",\"email\":\"x@y.z\"}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field")
                .isEqualTo(java.util.List.of("accepts_marketing", "email"));
        assertThat(storeCalls()).isZero();
    }
}
