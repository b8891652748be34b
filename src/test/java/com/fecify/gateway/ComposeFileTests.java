package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml without Docker: every file it mounts exists, and Prometheus scrapes what the gateway serves. */
@SuppressWarnings("unchecked")
class ComposeFileTests {

    private final Map<String, Object> compose = load(Path.of("docker-compose.yml"));
    private final Map<String, Map<String, Object>> services =
            (Map<String, Map<String, Object>>) compose.get("services");

    @Test
    void theStackHasTheGatewayTheFakeStorePrometheusAndGrafana() {
        assertThat(services).containsKeys("gateway", "fecify", "prometheus", "grafana");
        assertThat((List<String>) services.get("gateway").get("ports")).contains("8080:8080", "8081:8081");
    }

    @Test
    void everyMountedPathExists() {
        services.forEach((name, service) -> {
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String host = volume.toString().split(":")[0];
                assertThat(Path.of(host)).as(name + " mounts " + host).exists();
            }
        });
    }

    @Test
    void prometheusScrapesTheManagementPortAndLoadsTheAlertRules() {
        Map<String, Object> prometheus = load(Path.of("ops/prometheus/prometheus.yml"));
        Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(job.toString()).contains("gateway:8081");
        String rules = ((List<String>) prometheus.get("rule_files")).get(0);
        assertThat(rules).startsWith("/etc/prometheus/rules/");
        assertThat(Path.of("ops/prometheus", rules.substring("/etc/prometheus/rules/".length())))
                .exists();
        assertThat(Path.of("ops/grafana/fecify-gateway.json")).exists();
    }

    private static Map<String, Object> load(Path path) {
        try {
            return new Yaml().load(Files.readString(path));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
