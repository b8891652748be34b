package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.fields.UpdateFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests in deploy/k8s, as {@code kubectl kustomize} renders them (or, without kubectl, the resources the
 * kustomization lists): ports, probe paths, mounted files and variable names agree with the application.
 */
@SuppressWarnings("unchecked")
class KubernetesManifestsTests {

    private static final Path DIR = Path.of("deploy/k8s");
    private static List<Map<String, Object>> docs;

    @BeforeAll
    static void render() throws Exception {
        String yaml = kustomize();
        if (yaml == null) {
            Map<String, Object> kustomization =
                    load(Files.readString(DIR.resolve("kustomization.yaml"))).get(0);
            StringBuilder all = new StringBuilder();
            for (Object resource : (List<?>) kustomization.get("resources")) {
                all.append(Files.readString(DIR.resolve(resource.toString()))).append("\n---\n");
            }
            yaml = all.toString();
        }
        docs = load(yaml);
    }

    @Test
    void everyKindAnOperatorNeedsIsThere() {
        Set<String> kinds = new TreeSet<>();
        docs.forEach(doc -> kinds.add((String) doc.get("kind")));
        assertThat(kinds)
                .contains(
                        "Deployment",
                        "Service",
                        "Secret",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "NetworkPolicy",
                        "ServiceMonitor");
    }

    @Test
    void deploymentRunsTwoHardenedReplicasWithProbesOnTheActuatorGroups() {
        Map<String, Object> deployment = one("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        Map<String, Object> container = container();
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem"))
                .isTrue();
        assertThat(portNumber("http")).isEqualTo(8080);
        assertThat(portNumber("management")).isEqualTo(8081);
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(portNumber(at(container, "livenessProbe", "httpGet", "port")))
                .isEqualTo(8081);
        assertThat(portNumber(at(container, "readinessProbe", "httpGet", "port")))
                .isEqualTo(8081);
        assertThat((Map<String, Object>) at(container, "resources", "limits")).containsKey("memory");
        assertThat(env()).containsEntry("SERVER_PORT", "8080").containsEntry("MANAGEMENT_SERVER_PORT", "8081");
    }

    /**
     * One sizing (README "Sizing", measured with bench/soak.sh): the manifest's memory limit, the compose file's and
     * the heap share the image gives the JVM agree; the request equals the limit (a JVM keeps what it took).
     */
    @Test
    void memoryLimitAndHeapShareAreTheOnesTheSoakMeasured() throws Exception {
        Map<String, Object> resources = at(container(), "resources");
        assertThat((String) at(resources, "limits", "memory")).isEqualTo("768Mi");
        assertThat((String) at(resources, "requests", "memory")).isEqualTo("768Mi");
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("docker-compose.yml")))
                .contains("mem_limit: 768m");
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("Dockerfile")))
                .containsPattern("ENV JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=40 ");
    }

    @Test
    void theTokenIsASecretMountedWhereFecifyAccessTokenFilePoints() {
        String tokenFile = env().get("FECIFY_ACCESS_TOKEN_FILE");
        assertThat(tokenFile).isNotNull();
        Map<String, Object> secret = one("Secret");
        String secretName = at(secret, "metadata", "name");
        String volume = volumeOf("secret", "secretName", secretName);
        String mountPath = mountPathOf(volume);
        assertThat(tokenFile).startsWith(mountPath + "/");
        String key = tokenFile.substring(mountPath.length() + 1);
        assertThat((Map<String, Object>) at(secret, "stringData")).containsKey(key);
        assertThat(env()).doesNotContainKey("FECIFY_ACCESS_TOKEN");
    }

    @Test
    void clientsComeFromAConfigMapMountedWhereSpringLooks() throws Exception {
        String location = env().get("SPRING_CONFIG_ADDITIONAL_LOCATION");
        assertThat(location).isNotNull();
        String file = location.replaceFirst("^optional:", "").replaceFirst("^file:", "");
        String mountPath = file.substring(0, file.lastIndexOf('/'));
        Map<String, Object> clientsMount = mounts().stream()
                .filter(mount -> mountPath.equals(mount.get("mountPath")))
                .findFirst()
                .orElse(null);
        assertThat(clientsMount).as("a volume mounted at " + mountPath).isNotNull();
        Map<String, Object> clients =
                at(load(Files.readString(DIR.resolve("clients.yml"))).get(0), "gateway", "clients");
        assertThat(clients).isNotEmpty();
        clients.forEach((id, client) -> {
            Map<String, Object> settings = (Map<String, Object>) client;
            assertThat(String.valueOf(settings.get("key-sha256"))).as(id).matches("[0-9a-f]{64}");
            if (settings.get("fields") != null) {
                assertThat((List<String>) settings.get("fields")).isSubsetOf(UpdateFields.names());
            }
        });
    }

    @Test
    void everyVariableIsOneTheReadmeDocuments() throws Exception {
        Set<String> documented = new TreeSet<>();
        Matcher matcher = Pattern.compile("^\\| `([A-Z][A-Z0-9_]+)`", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("README.md")));
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }
        Set<String> used = new TreeSet<>(env().keySet());
        for (String line : Files.readAllLines(DIR.resolve("settings.env"))) {
            if (line.contains("=") && !line.startsWith("#")) {
                used.add(line.substring(0, line.indexOf('=')).strip());
            }
        }
        used.remove("SPRING_CONFIG_ADDITIONAL_LOCATION"); // Spring Boot's own, explained under Callers
        assertThat(documented).containsAll(used);
        assertThat(used).contains("FECIFY_BASE_URL", "FECIFY_ACCESS_TOKEN_FILE");
    }

    @Test
    void serviceMonitorScrapesThePrometheusEndpointThroughTheService() {
        Map<String, Object> service = one("Service");
        List<Map<String, Object>> ports = at(service, "spec", "ports");
        Map<String, Object> endpoint =
                ((List<Map<String, Object>>) at(one("ServiceMonitor"), "spec", "endpoints")).get(0);
        assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> scraped = ports.stream()
                .filter(port -> endpoint.get("port").equals(port.get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(portNumber(scraped.get("targetPort"))).isEqualTo(8081);
        assertThat((String) at(one("HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"))
                .isEqualTo(at(one("Deployment"), "metadata", "name"));
    }

    // --- helpers over the parsed documents

    private static String kustomize() {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", DIR.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (Exception noKubectl) {
            return null;
        }
    }

    private static List<Map<String, Object>> load(String yaml) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc instanceof Map<?, ?> map) {
                all.add((Map<String, Object>) map);
            }
        }
        return all;
    }

    private static Map<String, Object> one(String kind) {
        return docs.stream()
                .filter(doc -> kind.equals(doc.get("kind")))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    private static Map<String, Object> container() {
        List<Map<String, Object>> containers = at(one("Deployment"), "spec", "template", "spec", "containers");
        return containers.get(0);
    }

    private static List<Map<String, Object>> mounts() {
        return at(container(), "volumeMounts");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) at(container(), "env")) {
            env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return env;
    }

    private static int portNumber(Object nameOrNumber) {
        if (nameOrNumber instanceof Integer number) {
            return number;
        }
        for (Map<String, Object> port : (List<Map<String, Object>>) at(container(), "ports")) {
            if (nameOrNumber.equals(port.get("name"))) {
                return (Integer) port.get("containerPort");
            }
        }
        throw new AssertionError("no container port named " + nameOrNumber);
    }

    private static String volumeOf(String type, String field, String name) {
        List<Map<String, Object>> volumes = at(one("Deployment"), "spec", "template", "spec", "volumes");
        return volumes.stream()
                .filter(volume -> volume.get(type) instanceof Map<?, ?> source && name.equals(source.get(field)))
                .map(volume -> (String) volume.get("name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " volume of " + name));
    }

    private static String mountPathOf(String volume) {
        return mounts().stream()
                .filter(mount -> volume.equals(mount.get("name")))
                .map(mount -> (String) mount.get("mountPath"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }
}
