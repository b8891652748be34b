package com.fecify.gateway.update;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

class CustomerUpdateTests extends GatewayTestSupport {

    private static final Set<String> ALLOWED_UPSTREAM_HEADERS = Set.of(
            "content-type",
            "accept",
            "user-agent",
            "x-request-id",
            "skill-access-token",
            "traceparent",
            "host",
            "content-length",
            "connection",
            "accept-encoding");

    @Test
    void updatesCustomerAndReturnsTheStoresDataUnchanged() {
        storeAnswers(successEnvelope(574));

        patch(574, "{\"first_name\":\"yunlong2\",\"accepts_marketing\":1}")
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(574)
                .jsonPath("$.first_name")
                .isEqualTo("yunlong2")
                .jsonPath("$.email")
                .isEqualTo("liyunlong@pingan2.com")
                // a field the gateway does not know is passed through
                .jsonPath("$.loyalty_tier")
                .isEqualTo("gold")
                .jsonPath("$.code")
                .doesNotExist();
    }

    @Test
    void sendsTheIdAndTheChangedFieldsToThePrefixedStorePath() {
        storeAnswers(successEnvelope(574));

        patch(574, "{\"id\":574,\"first_name\":\"yunlong2\",\"customervip_id\":\"\",\"payafteruse_level\":1}")
                .expectStatus()
                .isOk();

        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH))
                // customervip_id "" means "leave unchanged": it changes nothing, so it is not sent
                .withRequestBody(equalToJson("{\"id\":574,\"first_name\":\"yunlong2\",\"payafteruse_level\":1}")));
    }

    @Test
    void injectsTheTokenAndForwardsOnlyAllowListedHeaders() {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("Authorization", "Bearer " + KEY)
                .header("Cookie", "session=abc")
                .header("skill-access-token", "caller-forged-token")
                .header("X-Forwarded-For", "10.1.2.3")
                .header("X-Request-Id", "order-42:retry.1")
                .header("Origin", "https://evil.example")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"last_name\":\"li1\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Request-Id", "order-42:retry.1");

        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH))
                .withHeader("skill-access-token", equalTo(TOKEN))
                .withHeader("X-Request-Id", equalTo("order-42:retry.1"))
                .withHeader("Content-Type", matching("application/json.*"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", matching("fecify-gateway/.+"))
                .withHeader("Authorization", absent())
                .withHeader("Cookie", absent()));
        LoggedRequest sent = fecify.getAllServeEvents().get(0).getRequest();
        Set<String> names = sent.getHeaders().keys().stream()
                .map(name -> name.toLowerCase())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(ALLOWED_UPSTREAM_HEADERS).containsAll(names);
        assertThat(sent.getHeaders().getHeader("skill-access-token").values()).containsExactly(TOKEN);
    }

    @Test
    void replacesAnInsaneRequestIdWithANewOne() {
        storeAnswers(successEnvelope(574));

        String answered = api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .header("X-Request-Id", "bad id with spaces <script>")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"note\":\"\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseHeaders()
                .getFirst("X-Request-Id");

        assertThat(answered).matches("[A-Za-z0-9._:-]{1,128}").doesNotContain("script");
        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH)).withHeader("X-Request-Id", equalTo(answered)));
    }

    @Test
    void acceptsMergePatchJson() {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .contentType(MediaType.parseMediaType("application/merge-patch+json"))
                .body("{\"phone\":\"+1 565689891\",\"phone_prefix\":\"+1\"}")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void dropInRouteReturnsTheStoreEnvelopeAsIs() {
        storeAnswers(successEnvelope(574));

        dropIn("{\"id\":574,\"first_name\":\"yunlong2\",\"last_name\":\"li1\",\"phone\":\"+1 565689891\","
                        + "\"accepts_marketing\":1,\"payafteruse_status\":2,\"payafteruse_level\":1}")
                .expectStatus()
                .isOk()
                .expectBody()
                .json(successEnvelope(574), org.springframework.test.json.JsonCompareMode.STRICT);

        fecify.verify(postRequestedFor(urlEqualTo(STORE_PATH)).withHeader("skill-access-token", equalTo(TOKEN)));
    }

    @Test
    void dropInRouteAnswersFailuresWithAnEnvelope() {
        dropIn("{\"first_name\":\"x\",\"accepts_marketing\":3}")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(400)
                .jsonPath("$.data")
                .isEmpty()
                .jsonPath("$.message")
                .isNotEmpty()
                .jsonPath("$.errors[0].field")
                .isEqualTo("id")
                .jsonPath("$.errors[1].field")
                .isEqualTo("accepts_marketing")
                .jsonPath("$.errors.length()")
                .isEqualTo(2);
        assertThat(storeCalls()).isZero();
    }

    @Test
    void dropInRouteAnswersStoreFailuresWithTheirStatusInTheEnvelope() {
        storeAnswers("{\"code\":404,\"data\":null,\"message\":\"customer not found\"}");

        dropIn("{\"id\":999,\"first_name\":\"x\"}")
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(404)
                .jsonPath("$.data")
                .isEmpty()
                .jsonPath("$.errors")
                .isArray()
                .jsonPath("$.message")
                .value(String.class, message -> assertThat(message).contains("999"));
    }

    /**
     * Answers to calls that waited for the store are written when the store's arrives, after Spring Security's filters
     * have run (docs/late-answers.md): they carry the same security headers, request id and length as any other.
     */
    @Test
    void answersAfterTheStoreCarryTheSecurityHeadersAndALength() {
        storeAnswers(successEnvelope(574));
        for (RestTestClient.ResponseSpec answer :
                List.of(patch(574, "{\"note\":\"vip\"}"), dropIn("{\"id\":574,\"note\":\"vip\"}"))) {
            answer.expectStatus()
                    .isOk()
                    .expectHeader()
                    .valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader()
                    .valueMatches("Cache-Control", ".*no-store.*")
                    .expectHeader()
                    .valueMatches("X-Request-Id", "[0-9a-f-]{36}")
                    .expectHeader()
                    .valueMatches("Content-Length", "[1-9][0-9]*")
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        }

        fecify.stubFor(post(urlEqualTo(STORE_PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":404,\"data\":null,\"message\":\"customer not found\"}")));
        patch(575, "{\"note\":\"vip\"}")
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("customer_not_found");
    }
}
