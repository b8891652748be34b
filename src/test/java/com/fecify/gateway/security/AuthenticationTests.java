package com.fecify.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.GatewayTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

/** Deny by default: the update routes need a configured caller key, compared by hash. */
@ExtendWith(OutputCaptureExtension.class)
class AuthenticationTests extends GatewayTestSupport {

    @Test
    void missingCredentialsAre401WithWwwAuthenticateAndNothingGoesUpstream() {
        api().patch()
                .uri("/v1/customers/574")
                .contentType(MediaType.APPLICATION_JSON)
                // an invalid body too: authentication comes first
                .body("{\"accepts_marketing\":\"1\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer realm=\"fecify-gateway\"")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists("X-Request-Id")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("unauthorized")
                .jsonPath("$.status")
                .isEqualTo(401)
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains("X-API-Key"));
        assertThat(storeCalls()).isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "X-API-Key|not-a-configured-key",
                "Authorization|Bearer not-a-configured-key",
                "Authorization|bearer " + "caller-key-Hk3Pz8Wn5Ty-but-longer",
                "X-API-Key|" + "caller-key-Hk3Pz8Wn5T"
            })
    void unknownKeyIs401InvalidToken(String header, String value) {
        api().patch()
                .uri("/v1/customers/574")
                .header(header, value)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer realm=\"fecify-gateway\", error=\"invalid_token\"")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("unauthorized");
        assertThat(storeCalls()).isZero();
    }

    @Test
    void basicAuthIsNotACallerKey() {
        api().patch()
                .uri("/v1/customers/574")
                .header("Authorization", "Basic YmlsbGluZzpzZWNyZXQ=")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void twoDifferentKeysAreRefused() {
        api().patch()
                .uri("/v1/customers/574")
                .header("Authorization", "Bearer " + KEY)
                .header("X-API-Key", "other-key")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        assertThat(storeCalls()).isZero();
    }

    @Test
    void eitherHeaderAuthenticatesAndTheAuditLineNamesTheClient(CapturedOutput output) {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("Authorization", "Bearer " + KEY)
                .header("X-Request-Id", "auth-bearer-1")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk();
        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", "other-key")
                .header("X-Request-Id", "auth-header-2")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\",\"note\":\"\"}")
                .exchange()
                .expectStatus()
                .isOk();

        // a store's answer is audited once it has been delivered
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .containsPattern("request_id=auth-bearer-1 caller=billing customer_id=574 fields=first_name "
                                + "outcome=success status=200 upstream_ms=\\d+")
                        .containsPattern("request_id=auth-header-2 caller=other customer_id=574 fields=first_name,note "
                                + "outcome=success"));
    }

    @Test
    void noCorsForAnyOriginByDefault() {
        api().options()
                .uri("/v1/customers/574")
                .header("Origin", "https://admin.example.com")
                .header("Access-Control-Request-Method", "PATCH")
                .exchange()
                .expectHeader()
                .doesNotExist("Access-Control-Allow-Origin");
    }

    @Test
    void dropInRouteAnswers401WithAnEnvelope() {
        api().post()
                .uri("/api/skill/customer/update-customer")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\":574,\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .exists("WWW-Authenticate")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(401)
                .jsonPath("$.data")
                .isEmpty()
                .jsonPath("$.message")
                .isNotEmpty();
    }
}
