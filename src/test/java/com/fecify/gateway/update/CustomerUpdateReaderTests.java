package com.fecify.gateway.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fecify.gateway.Caller;
import com.fecify.gateway.RateBucket;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.error.GatewayException;
import com.fecify.gateway.error.Violation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every body rule of SPEC.md as a table, read by the reader itself (no Spring context): a broken rule names the field
 * and says why; a valid body becomes what the store gets. {@code CustomerValidationTests} takes the same rules through
 * the HTTP stack (the problem's shape, nothing sent to the store).
 */
class CustomerUpdateReaderTests {

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();
    private static final Caller SERVICE = new Caller("crm", "crm", null, null, RateBucket.UNLIMITED);
    private static final Caller NEWSLETTER =
            new Caller("newsletter", "newsletter", Set.of("accepts_marketing"), null, RateBucket.UNLIMITED);
    private static final Caller END_USER =
            new Caller("ada", "end_user", Set.of("first_name", "accepts_marketing"), 574L, RateBucket.UNLIMITED);

    private final CustomerUpdateReader reader = new CustomerUpdateReader(VALIDATION.getValidator());

    @AfterAll
    static void close() {
        VALIDATION.close();
    }

    private CustomerUpdate patch(String id, String body, Caller caller) {
        return reader.readPatch(id, body.getBytes(StandardCharsets.UTF_8), caller, new UpdateAudit());
    }

    private static GatewayException refusal(Runnable read) {
        try {
            read.run();
        } catch (GatewayException refused) {
            return refused;
        }
        throw new AssertionError("accepted");
    }

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
    void aBrokenRuleNamesTheFieldAndSaysWhy(String field, String body, String message) {
        GatewayException refused = refusal(() -> patch("574", body, SERVICE));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(refused.violations().get(0).field()).isEqualTo(field);
        assertThat(refused.violations().get(0).message()).contains(message);
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
    void aValidBodyBecomesTheStoresBodyWithTheIdFirst(String body) {
        CustomerUpdate update = patch("574", body, SERVICE);

        assertThat(update.customerId()).isEqualTo(574);
        assertThat(new String(update.upstreamBody(), StandardCharsets.UTF_8)).startsWith("{\"id\":574");
    }

    @Test
    void leaveUnchangedIsNotSentToTheStore() {
        CustomerUpdate update = patch("574", "{\"customervip_id\":\"\",\"note\":\"x\"}", SERVICE);

        assertThat(new String(update.upstreamBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":574,\"note\":\"x\"}");
        assertThat(update.changes().propertyNames()).containsExactly("note");
    }

    @Test
    void everyViolationIsReportedTogetherInBodyOrder() {
        GatewayException refused = refusal(() -> patch(
                "574",
                "{\"email\":\"x@y.z\",\"first_name\":null,\"accepts_marketing\":\"1\",\"phone\":\"1\","
                        + "\"foo\":1,\"payafteruse_status\":5}",
                SERVICE));

        assertThat(refused.violations())
                .extracting(Violation::field)
                .containsExactly("email", "first_name", "accepts_marketing", "phone", "foo", "payafteruse_status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"customervip_id\":\"\"}", "{\"id\":574}", "{\"id\":574,\"customervip_id\":\"\"}"})
    void anUpdateThatChangesNothingIsRefused(String body) {
        assertThat(refusal(() -> patch("574", body, SERVICE))
                        .violations()
                        .get(0)
                        .message())
                .contains("changes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "2147483648", "99999999999999999999", "+1", "1e3", "0x1F", "0574"})
    void aPathIdThatIsNotAPositiveIntegerIsRefused(String id) {
        GatewayException refused = refusal(() -> patch(id, "{\"first_name\":\"x\"}", SERVICE));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(refused.violations().get(0).field()).isEqualTo("id");
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
    void theDropInBodyNeedsAPositiveIntegerId(String body) {
        GatewayException refused =
                refusal(() -> reader.readDropIn(body.getBytes(StandardCharsets.UTF_8), SERVICE, new UpdateAudit()));

        assertThat(refused.violations().get(0).field()).isEqualTo("id");
    }

    /** Permissions come before values: a caller learns nothing of a field it may not change. */
    @Test
    void aFieldOutsideTheCallersListIsForbiddenBeforeItsValueIsJudged() {
        GatewayException refused = refusal(() -> patch("574", "{\"note\":null,\"accepts_marketing\":9}", NEWSLETTER));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refused.violations()).extracting(Violation::field).containsExactly("note");
    }

    @Test
    void anEndUserMayUpdateOnlyItsOwnCustomer() {
        assertThat(patch("574", "{\"first_name\":\"Ada\"}", END_USER).customerId())
                .isEqualTo(574);

        GatewayException refused = refusal(() -> patch("575", "{\"first_name\":\"Ada\"}", END_USER));
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refused.violations()).extracting(Violation::field).containsExactly("id");
    }

    @Test
    void theAuditRecordLearnsTheIdAndFieldNamesAlsoOfARefusal() {
        UpdateAudit audit = new UpdateAudit();

        assertThatThrownBy(() -> reader.readPatch(
                        "574", "{\"phone\":\"1\",\"note\":\"x\"}".getBytes(StandardCharsets.UTF_8), SERVICE, audit))
                .isInstanceOf(GatewayException.class);

        assertThat(audit.customerId()).isEqualTo(574);
        assertThat(audit.fields()).containsExactly("phone", "note");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("[]", "not an array"),
                Arguments.of("{\"note\":\"x\"} {}", "text after the JSON object"),
                Arguments.of("{\"note\":\"x\",\"note\":\"y\"}", "a field twice"),
                Arguments.of("{\"note\":" + "[".repeat(40) + "]".repeat(40) + "}", "nests deeper than 32"),
                Arguments.of("{\"note\":\"x\"", "not valid JSON"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformed")
    void aBodyThatIsNotOneStrictJsonObjectIsMalformed(String body, String detail) {
        GatewayException refused = refusal(() -> StrictJson.object(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(refused.detail()).contains(detail.equals("not an array") ? "not an array" : detail);
    }

    @Test
    void onlyStrictUtf8IsJson() {
        byte[] overlong = {'{', '"', 'n', 'o', 't', 'e', '"', ':', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] utf16 = "{\"note\":\"x\"}".getBytes(StandardCharsets.UTF_16LE);
        byte[] nul = "{\"note\":\"a\u0000\"}".getBytes(StandardCharsets.UTF_8);
        for (byte[] body : List.of(overlong, utf16, nul)) {
            assertThat(refusal(() -> StrictJson.object(body)).detail()).contains("UTF-8");
        }
    }
}
