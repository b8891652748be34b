package com.fecify.gateway.session;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fecify.gateway.FecifyGatewayApplication;
import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.LocalRedis;
import com.fecify.gateway.security.SlowLink;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code gateway.sessions.store=redis} with a real redis-server and two gateway instances: a sign-in started on one
 * and finished on the other, the session used on both, a back-channel logout received by one ending it on the other,
 * and a session that outlives a restart of the instance it was made on.
 */
class RedisSessionTests {

    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final String SHOP = "https://shop.example.com";
    private static final String COOKIE = "__Host-fecify-session";

    static {
        // CI installs it (.ci/run); there, a missing server is a failure, not a skip
        if (System.getenv("CI") != null && !Files.isExecutable(REDIS)) {
            throw new IllegalStateException("CI must install redis-server");
        }
    }

    private final WireMockServer provider = new WireMockServer(options().dynamicPort());
    private final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Process redis;
    private int redisPort;

    @BeforeEach
    void redisAndProvider() throws Exception {
        assumeTrue(Files.isExecutable(REDIS), "redis-server is not installed (apt-get install redis-server)");
        redisPort = GatewayHarness.freePort();
        redis = LocalRedis.start(redisPort);
        provider.start();
        new FakeProvider(provider).stub();
        provider.stubFor(WireMock.post(urlPathEqualTo(GatewayHarness.STORE_PATH))
                .willReturn(okJson(GatewayHarness.successEnvelopeFor(574))));
    }

    @AfterEach
    void stopAll() {
        gateways.forEach(ConfigurableApplicationContext::close);
        provider.stop();
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Test
    void everyReplicaKnowsEverySessionAndABackChannelLogoutEndsItOnAll() throws Exception {
        int a = startGateway();
        int b = startGateway();

        String session = signIn(a, b, "provider-session-1"); // started on a, finished on b
        assertThat(send(b, "GET", "/bff/session", session, false, "").statusCode())
                .isEqualTo(200);
        assertThat(send(a, "PATCH", "/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(b, "PATCH", "/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}")
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> logout = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + a + "/bff/backchannel-logout"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + logoutToken("provider-session-1")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(send(b, "GET", "/bff/session", session, false, "").statusCode())
                .isEqualTo(401);
        assertThat(send(b, "PATCH", "/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aSessionOutlivesARestartOfTheGateway() throws Exception {
        int first = startGateway();
        String session = signIn(first, first, "provider-session-2");
        gateways.remove(0).close();

        int restarted = startGateway();
        assertThat(send(restarted, "GET", "/bff/session", session, false, "").statusCode())
                .isEqualTo(200);
        String management = gateways.get(0).getEnvironment().getProperty("local.management.port");
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + management + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .as("the store's live sessions, though this instance made none")
                .containsPattern("fecify_gateway_sessions_active(\\{[^}]*})? 1\\.0");
        assertThat(send(restarted, "PATCH", "/v1/customers/574", session, true, "{\"first_name\":\"Ada\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * A session is looked up in Redis on the request's thread: a Redis that has gone slow holds the request no longer
     * than gateway.sessions.redis-timeout, and the answer is the gateway's problem, not a wait of Lettuce's 60 s.
     */
    @Test
    void aSlowRedisHoldsASessionRequestNoLongerThanItsTimeout() throws Exception {
        try (SlowLink link = new SlowLink(redisPort, 3_000)) {
            int gateway = startGateway(link.port(), "--gateway.sessions.redis-timeout=300ms");
            for (String path : List.of("/bff/session", "/v1/customers/574")) {
                long start = System.nanoTime();
                HttpResponse<String> answer = path.startsWith("/bff")
                        ? send(gateway, "GET", path, "0b2c9a3e-5d1f-4c7a-9e8b-1f2a3b4c5d6e", false, "")
                        : send(
                                gateway,
                                "PATCH",
                                path,
                                "0b2c9a3e-5d1f-4c7a-9e8b-1f2a3b4c5d6e",
                                true,
                                "{\"note\":\"x\"}");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(millis).as(path + " with Redis 3 s away, ms").isLessThan(2_000);
                assertThat(answer.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(answer.body()).doesNotContain("redis://", "Exception");
                System.out.println(path + " with a slow Redis: " + answer.statusCode() + " in " + millis + " ms");
            }
        }
    }

    private String issuer() {
        return provider.baseUrl() + "/idp";
    }

    private int startGateway(String... more) {
        return startGateway(redisPort, more);
    }

    private int startGateway(int redis, String... more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.application.name=gateway-" + gateways.size(),
                "--fecify.base-url=" + provider.baseUrl() + "/apimanager666/",
                "--fecify.access-token=store-token-for-tests",
                "--gateway.api-keys=billing:" + GatewayHarness.sha256("k"),
                "--gateway.rate-limit.redis-url=redis://127.0.0.1:" + redis,
                "--gateway.sessions.issuer-uri=" + issuer(),
                "--gateway.sessions.client-id=fecify-gateway",
                "--gateway.sessions.client-secret=client-secret-5Gh8",
                "--gateway.sessions.public-url=https://api.example.com",
                "--gateway.sessions.return-origins=" + SHOP,
                "--gateway.sessions.store=redis"));
        arguments.addAll(List.of(more));
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(FecifyGatewayApplication.class).run(arguments.toArray(String[]::new));
        gateways.add(context);
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Sign-in started on {@code loginAt}, the provider's redirect back arriving at {@code callbackAt}. */
    private String signIn(int loginAt, int callbackAt, String sid) throws Exception {
        return new FakeProvider(provider)
                .signIn(http, loginAt, callbackAt, SHOP + "/account", claims -> claims.claim("sid", sid));
    }

    private String logoutToken(String sid) {
        return new FakeProvider(provider).logoutToken(claims -> claims.claim("sid", sid));
    }

    private HttpResponse<String> send(
            int port, String method, String path, @Nullable String session, boolean csrf, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        if (session != null) {
            request.header("Cookie", COOKIE + "=" + session);
        }
        if (csrf) {
            request.header("X-CSRF-Protection", "1");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
