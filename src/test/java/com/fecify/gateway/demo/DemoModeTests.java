package com.fecify.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** {@code SPRING_PROFILES_ACTIVE=demo} starts with nothing outside and serves the README's curl examples. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("demo")
class DemoModeTests {

    static int port;

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) throws Exception {
        port = GatewayHarness.freePort();
        registry.add("server.port", () -> port);
        registry.add("management.server.port", () -> 0);
    }

    private RestTestClient.ResponseSpec patch(long id, String key, String body) {
        return RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .requestInterceptor(AnswerContract.interceptor())
                .build()
                .patch()
                .uri("/v1/customers/" + id)
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    @Test
    void updatesCustomer574AsDocumented() {
        patch(
                        574,
                        "demo-key",
                        "{\"first_name\":\"yunlong2\",\"last_name\":\"li1\",\"phone\":\"+1 565689891\","
                                + "\"accepts_marketing\":1,\"customervip_id\":\"\",\"payafteruse_status\":2,"
                                + "\"payafteruse_level\":1}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(574)
                .jsonPath("$.first_name")
                .isEqualTo("yunlong2")
                .jsonPath("$.last_name")
                .isEqualTo("li1")
                .jsonPath("$.phone")
                .isEqualTo("+1 565689891")
                .jsonPath("$.accepts_marketing")
                .isEqualTo(1)
                .jsonPath("$.email")
                .isEqualTo("liyunlong@pingan2.com")
                .jsonPath("$.customervip_id")
                .isEqualTo(0)
                .jsonPath("$.created_at")
                .isEqualTo("2026-05-25 11:35:16")
                .jsonPath("$.updated_at")
                .value(String.class, at -> assertThat(at).isNotEqualTo("2026-05-25 11:35:16"));

        // a partial update keeps what was not sent
        patch(574, "demo-key", "{\"note\":\"prefers e-mail\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.note")
                .isEqualTo("prefers e-mail")
                .jsonPath("$.first_name")
                .isEqualTo("yunlong2");
    }

    @Test
    void unknownCustomerIs404AndAWrongKeyIs401() {
        patch(999, "demo-key", "{\"first_name\":\"x\"}")
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("customer_not_found");
        patch(574, "not-the-demo-key", "{\"first_name\":\"x\"}").expectStatus().isUnauthorized();
    }

    @Test
    void dropInRouteWorksToo() {
        RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .requestInterceptor(AnswerContract.interceptor())
                .build()
                .post()
                .uri("/api/skill/customer/update-customer")
                .header("X-API-Key", "demo-key")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\":575,\"accepts_marketing\":1}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo(200)
                .jsonPath("$.message")
                .isEqualTo("success")
                .jsonPath("$.data.id")
                .isEqualTo(575)
                .jsonPath("$.data.accepts_marketing")
                .isEqualTo(1);
    }
}
