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

/** Every body rule of SPEC.md: a broken rule is a 400 naming the field, and nothing reaches the store. */
class CustomerValidationTests extends GatewayTestSupport {

    static Stream<Arguments> brokenRules() {
        String long101 = "a".repeat(101);
        String long1001 = "n".repeat(1001);
        return Stream.of(
                // field, body, what the message says
                Arguments.of("first_name", "{\"first_name\":\"" + long101 + "\"}", "at most 100 characters"),
                Arguments.of("last_name", "{\"last_name\":\"" + long101 + "\"}", "at most 100 characters"),
                Arguments.of("first_name", "{\"first_name\":42}", "must be a JSON string"),
                Arguments.of("first_name", "{\"first_name\":\"Ada\\r\\nLovelace\"}", "one line of text"),
                Arguments.of("last_name", "{\"last_name\":\"li\\u001b[31m\"}", "one line of text"),
                Arguments.of("last_name", "{\"last_name\":\"li\\u202egnp.exe\"}", "bidirectional overrides"),
                Arguments.of("first_name", "{\"first_name\":\"tab\\there\"}", "control characters"),
                Arguments.of("last_name", "{\"last_name\":[\"li\"]}", "must be a JSON string"),
                Arguments.of("phone", "{\"phone\":\"12\"}", "3 to 32 characters"),
                Arguments.of("phone", "{\"phone\":\"+1 (555) 123-4567-8901-2345-6789-0\"}", "3 to 32 characters"),
                Arguments.of("phone", "{\"phone\":\"+1 abc 555\"}", "digits, spaces"),
                Arguments.of("phone", "{\"phone\":\"+-( )--12\"}", "at least 3 digits"),
                Arguments.of("phone", "{\"phone\":5656898910}", "must be a JSON string"),
                Arguments.of("phone_prefix", "{\"phone_prefix\":\"++1\"}", "optional + then 1 to 6 digits"),
                Arguments.of("phone_prefix", "{\"phone_prefix\":\"1234567\"}", "1 to 6 digits"),
                Arguments.of("phone_prefix", "{\"phone_prefix\":\"\"}", "1 to 6 digits"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":0}", "1 (accepts marketing e-mail) or 2"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":3}", "1 (accepts marketing e-mail) or 2"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":\"1\"}", "JSON integer"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":1.5}", "JSON integer"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":1.0}", "JSON integer"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":1e0}", "JSON integer"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":true}", "JSON integer"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":99999999999}", "out of range"),
                Arguments.of("accepts_marketing", "{\"accepts_marketing\":null}", "must not be null"),
                Arguments.of("note", "{\"note\":\"" + long1001 + "\"}", "at most 1000 characters"),
                Arguments.of("note", "{\"note\":null}", "must not be null"),
                Arguments.of("customervip_id", "{\"customervip_id\":-1}", "≥ 0"),
                Arguments.of("customervip_id", "{\"customervip_id\":\"3\"}", "or \"\" to leave it unchanged"),
                Arguments.of("customervip_id", "{\"customervip_id\":\" \"}", "JSON integer"),
                Arguments.of("payafteruse_status", "{\"payafteruse_status\":0}", "1 (pay-after-use customer) or 2"),
                Arguments.of("payafteruse_status", "{\"payafteruse_status\":\"2\"}", "JSON integer"),
                Arguments.of("payafteruse_level", "{\"payafteruse_level\":-1}", "≥ 0"),
                Arguments.of("payafteruse_level", "{\"payafteruse_level\":2.5}", "JSON integer"),
                Arguments.of("email", "{\"email\":\"new@example.com\"}", "cannot be changed through this API"),
                Arguments.of("status", "{\"status\":1}", "cannot be changed through this API"),
                Arguments.of("nickname", "{\"nickname\":\"x\"}", "unknown field"),
                Arguments.of("First_Name", "{\"First_Name\":\"x\"}", "unknown field"),
                Arguments.of("id", "{\"id\":575,\"first_name\":\"x\"}", "must equal the id in the path (574)"),
                Arguments.of("id", "{\"id\":\"574\",\"first_name\":\"x\"}", "positive integer"));
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
                "{\"first_name\":\"" + "a".repeat(100) + "\"}",
                // 100 characters of which each is two UTF-16 units
                "{\"last_name\":\"" + "😀".repeat(100) + "\"}",
                "{\"phone\":\"+1 565689891\"}",
                "{\"phone\":\"(+86) 138-0000-0000\"}",
                "{\"phone\":\"123\"}",
                "{\"phone_prefix\":\"86\"}",
                "{\"phone_prefix\":\"+123456\"}",
                "{\"accepts_marketing\":2}",
                "{\"note\":\"\"}",
                "{\"customervip_id\":0}",
                "{\"customervip_id\":\"\",\"note\":\"vip unchanged\"}",
                "{\"payafteruse_status\":1,\"payafteruse_level\":0}",
                "{\"id\":574,\"first_name\":\"same id\"}",
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
    @ValueSource(strings = {"{}", "{\"customervip_id\":\"\"}", "{\"id\":574}", "{\"id\":574,\"customervip_id\":\"\"}"})
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
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "2147483648", "99999999999999999999", "+1", "1e3", "0x1F"})
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
    @ValueSource(
            strings = {
                "{\"first_name\":\"x\"}",
                "{\"id\":0,\"first_name\":\"x\"}",
                "{\"id\":\"574\",\"note\":\"\"}",
                "{\"id\":574.0,\"note\":\"\"}",
                "{\"id\":null,\"note\":\"\"}"
            })
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
