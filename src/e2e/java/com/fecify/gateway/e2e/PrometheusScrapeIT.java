package com.fecify.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fecify.gateway.GatewayHarness;
import com.fecify.gateway.session.FakeProvider;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real Prometheus (the one on the machine, Debian's 2.42 in CI) scrapes the gateway while it meets faults, with the
 * repo's alert rules loaded; then every query of the Grafana dashboard is evaluated by it. Checks: the scrape is
 * accepted (no exemplar it refuses), the rules evaluate without error, every panel query parses, returns data after
 * the traffic, in its panel's unit, with the labels its legend names.
 */
class PrometheusScrapeIT extends GatewayHarness {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRICKLE_KEY = "trickle-key-9Pq2Wm";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final String SHOP = "https://shop.example.com";
    private static final FakeProvider PROVIDER = new FakeProvider(fecify);

    private Process prometheus;
    private Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        defaults(registry);
        // every request traced, so that answers carry exemplars wherever the gateway would put them
        registry.add("management.tracing.sampling.probability", () -> "1.0");
        registry.add("gateway.clients.trickle.key-sha256", () -> sha256(TRICKLE_KEY));
        registry.add("gateway.clients.trickle.rate-per-second", () -> "1");
        // browser sessions on (a provider played by WireMock), for the dashboard's session panels
        PROVIDER.sessionProperties(registry, SHOP);
    }

    @AfterEach
    void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        if (data != null) {
            FileSystemUtils.deleteRecursively(data);
        }
    }

    @Test
    void prometheusScrapesTheGatewayThroughFaultsAndEveryDashboardQueryAnswers() throws Exception {
        int promPort = freePort();
        startPrometheus(promPort);
        String prom = "http://127.0.0.1:" + promPort;
        await().atMost(Duration.ofSeconds(30)).until(() -> targetHealth(prom).equals("up"));

        traffic();
        Thread.sleep(3_000); // a few scrapes apart, so that rates see increases
        traffic();
        Thread.sleep(4_000);

        JsonNode target = JSON.readTree(get(prom + "/api/v1/targets")).at("/data/activeTargets/0");
        assertThat(target.get("health").asString()).isEqualTo("up");
        assertThat(target.get("lastError").asString()).isEmpty();

        JsonNode rules = JSON.readTree(get(prom + "/api/v1/rules")).at("/data/groups/0/rules");
        assertThat(rules.size()).isEqualTo(4);
        for (JsonNode rule : rules) {
            assertThat(rule.get("health").asString()).as(rule.get("name").asString()).isEqualTo("ok");
        }

        JsonNode dashboard = JSON.readTree(Path.of("ops/grafana/fecify-gateway.json").toFile());
        List<String> checked = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            String unit = panel.at("/fieldConfig/defaults/unit").asString("none");
            for (JsonNode target2 : panel.path("targets")) {
                String expr = target2.get("expr").asString().replace("$__rate_interval", "1m");
                String legend = target2.path("legendFormat").asString("");
                JsonNode answer = JSON.readTree(get(prom + "/api/v1/query?query=" + encode(expr)));
                String what = panel.get("title").asString() + ": " + expr;
                assertThat(answer.get("status").asString()).as(what).isEqualTo("success");
                JsonNode result = answer.at("/data/result");
                assertThat(result.size()).as(what + " has data after the traffic").isPositive();
                for (JsonNode series : result) {
                    double value = Double.parseDouble(series.at("/value/1").asString());
                    assertThat(value).as(what).isNotNaN().isFinite().isGreaterThanOrEqualTo(0);
                    switch (unit) {
                        case "s" -> assertThat(value).as(what + " in seconds").isLessThan(10);
                        case "bytes" -> assertThat(value).as(what + " in bytes").isGreaterThan(1_000_000);
                        default -> {}
                    }
                    Matcher label = Pattern.compile("\\{\\{(\\w+)}}").matcher(legend);
                    while (label.find()) {
                        assertThat(series.get("metric").has(label.group(1)))
                                .as(what + " carries its legend label " + label.group(1))
                                .isTrue();
                    }
                }
                checked.add(what);
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(18);
    }

    /**
     * Successes, a retried 503, the store refusing the token, rate limiting, a refused body, a batch; browser sessions
     * signing in, failing to, signing out, ended by the provider, and one left live.
     */
    private void traffic() throws Exception {
        fecify.resetAll();
        PROVIDER.stub();
        for (int i = 0; i < 3; i++) {
            PROVIDER.signIn(HTTP, port, port, SHOP + "/", claims -> claims.claim("sid", "provider-session"));
        }
        String leaving = PROVIDER.signIn(HTTP, port, port, SHOP + "/", claims -> {});
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bff/logout"))
                        .header("Cookie", FakeProvider.SESSION_COOKIE + "=" + leaving)
                        .header("X-CSRF-Protection", "1")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        api().get().uri("/bff/callback?code=c&state=forged").exchange().expectStatus().isFound();
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bff/backchannel-logout"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("logout_token="
                                + PROVIDER.logoutToken(claims -> claims.claim("sid", "provider-session"))))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        PROVIDER.signIn(HTTP, port, port, SHOP + "/", claims -> {}); // live at the scrape
        fecify.stubFor(post(STORE_PATH)
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        fecify.stubFor(post(STORE_PATH)
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(WireMock.okJson(successEnvelopeFor(574))));
        for (int i = 0; i < 10; i++) {
            patch(574, "{\"first_name\":\"Ada\"}");
        }
        patch(574, "{\"accepts_marketing\":3}").expectStatus().isBadRequest();
        batch("{\"updates\":[{\"id\":574,\"note\":\"a\"},{\"id\":575,\"note\":\"b\"}]}");
        for (int i = 0; i < 4; i++) {
            api().patch()
                    .uri("/v1/customers/574")
                    .header("X-API-Key", TRICKLE_KEY)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"first_name\":\"x\"}")
                    .exchange();
        }
        fecify.resetAll();
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(401)));
        patch(574, "{\"first_name\":\"Ada\"}").expectStatus().isEqualTo(502);
    }

    private void batch(String body) {
        api().post()
                .uri("/v1/customers/batch")
                .header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private void startPrometheus(int port) throws IOException {
        String binary = Tools.required("prometheus", "Debian package prometheus");
        data = Files.createTempDirectory("prometheus-it");
        Path rules = Path.of("ops/prometheus/fecify-gateway-alerts.yml").toAbsolutePath();
        Path config = data.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: fecify-gateway
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules, managementPort));
        prometheus = new ProcessBuilder(
                        binary,
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + data.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("prometheus.log").toFile())
                .start();
    }

    private static String targetHealth(String prom) {
        try {
            JsonNode targets = JSON.readTree(get(prom + "/api/v1/targets")).at("/data/activeTargets");
            return targets.size() == 0 ? "" : targets.get(0).get("health").asString();
        } catch (Exception e) {
            return "";
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
