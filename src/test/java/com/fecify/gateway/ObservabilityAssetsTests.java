package com.fecify.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.session.FakeProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboard and the Prometheus alert rules in ops/ use only metrics the gateway really exports. */
class ObservabilityAssetsTests extends GatewayHarness {

    private static final Pattern METRIC =
            Pattern.compile("\\b((?:fecify|resilience4j|http_server|jvm|process|tomcat)_[a-z0-9_]+)\\b");

    @DynamicPropertySource
    static void slowCallers(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("gateway.rate-limit.per-second", () -> "1");
        // browser sessions on, for their series
        new FakeProvider(fecify).sessionProperties(registry, "https://shop.example.com");
    }

    @Test
    void everyMetricInTheDashboardAndTheAlertsExists() throws Exception {
        // produce every kind of series: a success, a retried failure, a rate-limited caller
        storeAnswers(successEnvelope(574));
        patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();
        patch(574, "{\"first_name\":\"x\"}").expectStatus().isEqualTo(429);
        fecify.stubFor(post(STORE_PATH).willReturn(aResponse().withStatus(503)));
        Thread.sleep(1100);
        patch(574, "{\"first_name\":\"x\"}").expectStatus().isEqualTo(502);
        new FakeProvider(fecify).stub();
        api().get()
                .uri("/bff/callback?code=c&state=forged")
                .exchange()
                .expectStatus()
                .isFound(); // a failed sign-in
        String scrape = scrape();

        Set<String> used = new TreeSet<>();
        used.addAll(metricsIn(dashboardExpressions()));
        used.addAll(metricsIn(alertExpressions()));

        assertThat(used)
                .contains(
                        "fecify_gateway_updates_total",
                        "fecify_upstream_requests_seconds_bucket",
                        "resilience4j_circuitbreaker_state",
                        "fecify_gateway_rate_limited_total",
                        "fecify_gateway_sessions_events_total",
                        "fecify_gateway_sessions_active");
        for (String metric : used) {
            assertThat(scrape).as("a series of " + metric).containsPattern("(?m)^" + metric + "[{ ]");
        }
    }

    @Test
    void everyAlertSaysWhatToDo() throws Exception {
        for (Map<String, Object> rule : alertRules()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(annotations).as(String.valueOf(rule.get("alert"))).containsKeys("summary", "description");
            assertThat(rule).containsKeys("alert", "expr", "for", "labels");
        }
    }

    private static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = JsonMapper.builder()
                .build()
                .readTree(Path.of("ops/grafana/fecify-gateway.json").toFile());
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asString());
            }
        }
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(8);
        return expressions;
    }

    private static List<String> alertExpressions() throws Exception {
        return alertRules().stream()
                .map(rule -> String.valueOf(rule.get("expr")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws Exception {
        Map<String, Object> file =
                new Yaml().load(Files.readString(Path.of("ops/prometheus/fecify-gateway-alerts.yml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        assertThat(rules)
                .extracting(rule -> rule.get("alert"))
                .contains(
                        "FecifyUpstreamAuthFailed",
                        "FecifyCircuitOpen",
                        "FecifyGatewayErrorRatio",
                        "FecifyUpstreamLatencyP99High");
        return rules;
    }

    private static Set<String> metricsIn(List<String> expressions) {
        Set<String> metrics = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                metrics.add(matcher.group(1));
            }
        }
        return metrics;
    }
}
