package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The check every other test's answers go through ({@link AnswerContract}) does refuse what breaks the document, and
 * takes what the gateway really sends (nulls where the document says nullable, NDJSON lines).
 */
class AnswerContractTests extends GatewayTestSupport {

    private static final Map<String, List<String>> PROBLEM =
            Map.of("Content-Type", List.of("application/problem+json"));
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> LINES = Map.of("Content-Type", List.of("application/x-ndjson"));

    @Test
    void realAnswersAreCheckedAndPass() {
        int before = AnswerContract.checked();
        storeAnswers(successEnvelope(574));
        patch(574, "{\"accepts_marketing\":2}").expectStatus().isOk();
        patch(574, "{}").expectStatus().isBadRequest(); // a whole-body violation: "field": null
        dropIn("{\"id\":574,\"accepts_marketing\":3}").expectStatus().isBadRequest(); // "data": null
        assertThat(AnswerContract.checked()).isEqualTo(before + 3);
    }

    @Test
    void aProblemMissingItsCodeIsRefused() {
        assertThat(
                        AnswerContract.problems(
                                "PATCH",
                                "/v1/customers/5",
                                400,
                                PROBLEM,
                                "{\"type\":\"about:blank\",\"title\":\"x\",\"status\":400,\"detail\":\"x\",\"request_id\":\"r\"}"))
                .anySatisfy(problem -> assertThat(problem).contains("code"));
    }

    @Test
    void aStatusTheOperationDoesNotDocumentIsRefused() {
        assertThat(AnswerContract.problems("PATCH", "/v1/customers/5", 405, PROBLEM, "{}"))
                .anySatisfy(problem -> assertThat(problem).contains("status"));
    }

    @Test
    void aNullWhereTheDocumentSaysNoneIsRefused() {
        String nullTitle =
                "{\"type\":\"urn:x\",\"title\":null,\"status\":400,\"detail\":\"x\",\"code\":\"bad_request\","
                        + "\"request_id\":\"r\"}";
        assertThat(AnswerContract.problems("PATCH", "/v1/customers/5", 400, PROBLEM, nullTitle))
                .isNotEmpty();
        assertThat(AnswerContract.problems(
                        "POST",
                        "/api/skill/customer/update-customer",
                        400,
                        JSON,
                        "{\"code\":400,\"message\":\"x\",\"data\":null,\"errors\":[{\"field\":null,\"message\":\"m\","
                                + "\"rejected_value\":null}]}"))
                .isEmpty();
    }

    @Test
    void everyBatchLineIsChecked() {
        String good = "{\"index\":0,\"id\":5,\"status\":200,\"customer\":{\"id\":5}}\n"
                + "{\"summary\":{\"total\":1,\"succeeded\":1,\"failed\":0}}\n";
        assertThat(AnswerContract.problems("POST", "/v1/customers/batch", 200, LINES, good))
                .isEmpty();
        assertThat(AnswerContract.problems(
                        "POST", "/v1/customers/batch", 200, LINES, good + "{\"index\":\"one\",\"status\":200}\n"))
                .isNotEmpty();
    }

    @Test
    void whatTheDocumentDoesNotDescribeHasNoContract() {
        assertThat(AnswerContract.problems("GET", "/actuator/health", 200, JSON, "{\"status\":\"UP\"}"))
                .isEmpty();
    }
}
