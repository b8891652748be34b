package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * Builds the production image from the Dockerfile and runs it against a WireMock container with the compose stubs:
 * it starts, answers an update, runs as non-root and reports healthy. Skipped where no Docker engine is present.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageTests {

    static final Network network = Network.newNetwork();

    @Container
    static final GenericContainer<?> fecify = new GenericContainer<>("wiremock/wiremock:3.13.2")
            .withNetwork(network)
            .withNetworkAliases("fecify")
            .withCopyFileToContainer(MountableFile.forHostPath("ops/fake-store/mappings"), "/home/wiremock/mappings")
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/__admin/mappings").forStatusCode(200));

    @Container
    static final GenericContainer<?> gateway = new GenericContainer<>(
                    new ImageFromDockerfile("fecify-gateway-test", true).withDockerfile(Path.of("Dockerfile")))
            .withNetwork(network)
            .dependsOn(fecify)
            .withEnv("FECIFY_BASE_URL", "http://fecify:8080/apimanager666")
            .withEnv("FECIFY_ACCESS_TOKEN", "compose-store-token")
            .withEnv("GATEWAY_API_KEYS", "compose:" + GatewayHarness.sha256("compose-key"))
            .withExposedPorts(8080, 8081)
            .waitingFor(Wait.forHttp("/actuator/health/liveness").forPort(8081).forStatusCode(200))
            .withStartupTimeout(Duration.ofMinutes(3));

    @Test
    void imageServesAnUpdateAsNonRootAndReportsHealthy() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://" + gateway.getHost() + ":" + gateway.getMappedPort(8080) + "/v1/customers/574"))
                .header("X-API-Key", "compose-key")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"yunlong2\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"first_name\":\"yunlong2\"");

        assertThat(gateway.execInContainer("id", "-u").getStdout().strip()).isNotEqualTo("0");

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String health = "";
        while (System.nanoTime() < deadline) {
            health = gateway.getDockerClient()
                    .inspectContainerCmd(gateway.getContainerId())
                    .exec()
                    .getState()
                    .getHealth()
                    .getStatus();
            if ("healthy".equals(health)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(health).isEqualTo("healthy");
    }
}
