package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The gateway on a random port in front of an in-process WireMock playing the Fecify store, one WireMock server for
 * all, reset before each test. Extend {@link GatewayTestSupport} for the default configuration (one shared context);
 * extend this class directly and declare a {@code @DynamicPropertySource} that calls {@link #defaults} and then
 * overrides what it needs, for a configuration of your own.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0"})
public abstract class GatewayHarness {

    public static final String TOKEN = "store-token-7Qx9Lm2Vb4";
    public static final String KEY = "caller-key-Hk3Pz8Wn5Ty";
    public static final String CLIENT = "billing";
    public static final String UNLIMITED_KEY = "unlimited-key-Qm4Rt7Zx";
    public static final String STORE_PATH = "/apimanager666/api/skill/customer/update-customer";

    protected static final WireMockServer fecify = new WireMockServer(options().dynamicPort());

    static {
        fecify.start();
    }

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    /** The default configuration: the WireMock store with a path prefix, a static token, two caller keys. */
    protected static void defaults(DynamicPropertyRegistry registry) {
        registry.add("fecify.base-url", () -> fecify.baseUrl() + "/apimanager666/");
        registry.add("fecify.access-token", () -> TOKEN);
        registry.add("fecify.connect-timeout", () -> "500ms");
        // 2 s: a context's first store call is cold (connections, JIT) and a busy CI machine has taken over 1 s
        registry.add("fecify.response-timeout", () -> "2s");
        registry.add("fecify.retry.initial-backoff", () -> "10ms");
        // many failures on purpose in one shared context: the breaker has tests of its own
        registry.add("fecify.circuit-breaker.sliding-window-size", () -> "100000");
        registry.add("fecify.circuit-breaker.minimum-number-of-calls", () -> "100000");
        registry.add("gateway.api-keys", () -> CLIENT + ":" + sha256(KEY) + ",other:" + sha256("other-key"));
        // a caller whose rate never refuses, for tests about bodies rather than rates
        registry.add("gateway.clients.unlimited.key-sha256", () -> sha256(UNLIMITED_KEY));
        registry.add("gateway.clients.unlimited.rate-per-second", () -> "1000000");
    }

    @BeforeEach
    void resetStore() {
        fecify.resetAll();
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected RestTestClient api() {
        return RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .requestInterceptor(AnswerContract.interceptor())
                .build();
    }

    /** What Prometheus would scrape from the management port. */
    protected String scrape() {
        return management()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected RestTestClient management() {
        return RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .build();
    }

    /** An authenticated {@code PATCH /v1/customers/{id}} with a JSON body. */
    protected RestTestClient.ResponseSpec patch(Object id, String json) {
        return api().patch()
                .uri("/v1/customers/" + id)
                .header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json)
                .exchange();
    }

    /** An authenticated call of the drop-in route. */
    protected RestTestClient.ResponseSpec dropIn(String json) {
        return api().post()
                .uri("/api/skill/customer/update-customer")
                .header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json)
                .exchange();
    }

    /** The store answers every update with this envelope (HTTP 200). */
    protected static void storeAnswers(String envelope) {
        fecify.stubFor(WireMock.post(STORE_PATH).willReturn(WireMock.okJson(envelope)));
    }

    /** A successful envelope for customer {@code id} with a few fields. */
    protected static String successEnvelope(long id) {
        return successEnvelopeFor(id);
    }

    /** The same, for tests that run their own application. */
    public static String successEnvelopeFor(long id) {
        return """
                {"code":200,"data":{"id":%d,"shop_id":15,"email":"liyunlong@pingan2.com","first_name":"yunlong2",\
                "last_name":"li1","note":"","phone":"+1 565689891","created_at":"2026-05-25 11:35:16",\
                "updated_at":"2026-05-25 11:37:57","accepts_marketing":1,"customervip_id":0,\
                "loyalty_tier":"gold"},"message":"success"}""".formatted(id);
    }

    protected static int storeCalls() {
        return fecify.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo(STORE_PATH)))
                .size();
    }
}
