package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image's HEALTHCHECK, run here as Docker would run it, without Docker: the very command of the Dockerfile, with
 * an empty PATH (so a tool the JRE base image lacks, such as curl, cannot be found), against a live gateway.
 */
class HealthCheckCommandTests extends GatewayTestSupport {

    @Test
    void imageHealthCheckPassesWithNothingButBashAgainstALiveGateway() throws Exception {
        String script = healthCheckScript();
        assertThat(script).contains("/dev/tcp/127.0.0.1/8081");
        assertThat(run(script.replace("/8081", "/" + managementPort)))
                .as("exit code against a live gateway")
                .isZero();
        assertThat(run(script.replace("/8081", "/" + freePort())))
                .as("exit code against a port nothing listens on")
                .isNotZero();
    }

    /** The control: a check that needs a command the base image does not have fails the same way. */
    @Test
    void aCheckNeedingCurlFailsWhereThereIsNoCurl() throws Exception {
        assertThat(run("curl -fsS http://127.0.0.1:" + managementPort + "/actuator/health/liveness"))
                .isNotZero();
    }

    /** The script of {@code HEALTHCHECK ... CMD ["bash", "-c", "<script>"]}. */
    private static String healthCheckScript() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        int at = dockerfile.indexOf("HEALTHCHECK");
        String rest = dockerfile.substring(dockerfile.indexOf("CMD", at) + 3).strip();
        JsonNode command = JsonMapper.builder().build().readTree(rest.substring(0, rest.indexOf('\n')));
        assertThat(command.get(0).asString()).isEqualTo("bash");
        assertThat(command.get(1).asString()).isEqualTo("-c");
        return command.get(2).asString();
    }

    private static int run(String script) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/bash", "-c", script)).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "");
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
