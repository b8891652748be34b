package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The token, the caller keys and the customers' field values never reach a log line or an answer, even with the web,
 * security and HTTP client loggers at DEBUG; no answer carries a stack trace, a class name or the store's URL.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakTests extends GatewayHarness {

    private static final String NAME = "Zebulon-Private-Name-31";
    private static final String PHONE = "+1 999 8765 4321";
    private static final String NOTE = "private-note-about-allergies";
    private static final String WRONG_KEY = "wrong-key-Rf7Yq2Lk9";

    @DynamicPropertySource
    static void verbose(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("logging.level.org.springframework.web", () -> "DEBUG");
        registry.add("logging.level.org.springframework.security", () -> "DEBUG");
        registry.add("logging.level.reactor.netty", () -> "DEBUG");
        registry.add("logging.level.com.fecify", () -> "DEBUG");
    }

    @Test
    void noSecretOrFieldValueInLogsOrAnswers(CapturedOutput output) {
        List<String> answers = new ArrayList<>();
        String body = "{\"first_name\":\"" + NAME + "\",\"phone\":\"" + PHONE + "\",\"note\":\"" + NOTE + "\"}";

        // the store echoes the values back, as it does
        storeAnswers(successEnvelope(574).replace("yunlong2", NAME).replace("+1 565689891", PHONE));
        answers.add(call("/v1/customers/574", KEY, body));
        answers.add(call(
                "/v1/customers/574",
                KEY,
                "{\"first_name\":\"" + NAME + "\",\"accepts_marketing\":\"" + NOTE + "\",\"email\":\"" + NAME
                        + "@example.com\"}"));
        answers.add(call("/v1/customers/574", WRONG_KEY, body));
        answers.add(call("/v1/customers/574", KEY, "{\"first_name\":\"" + NAME + "\""));
        storeAnswers("{\"code\":10001,\"message\":\"token " + TOKEN + " is not allowed at " + fecify.baseUrl() + "\"}");
        answers.add(call("/v1/customers/574", KEY, body));
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(401).withBody("bad token " + TOKEN)));
        answers.add(call("/v1/customers/574", KEY, body));
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        answers.add(call("/v1/customers/574", KEY, body));
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(500).withBody("<pre>" + TOKEN + "</pre>")));
        answers.add(call("/api/skill/customer/update-customer", KEY, "{\"id\":574,\"note\":\"" + NOTE + "\"}"));

        String logs = output.getAll();
        assertThat(logs).contains("fecify.audit").contains("customer_id=574");
        for (String secret : List.of(TOKEN, KEY, WRONG_KEY, NAME, PHONE, NOTE)) {
            assertThat(logs).as("logs").doesNotContain(secret);
        }
        for (String answer : answers) {
            assertThat(answer)
                    .doesNotContain(TOKEN)
                    .doesNotContain(KEY)
                    .doesNotContain(WRONG_KEY)
                    .doesNotContain(fecify.baseUrl())
                    .doesNotContain("127.0.0.1")
                    .doesNotContain("java.")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }

    private String call(String path, String key, String body) {
        var request =
                path.startsWith("/v1") ? api().patch().uri(path) : api().post().uri(path);
        return request.header("X-API-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .returnResult(String.class)
                .getResponseBody();
    }
}
