package com.fecify.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}: JSON lines, the audit facts as named keys, with trace and caller. */
@ExtendWith(OutputCaptureExtension.class)
// logging reads its settings before dynamic properties exist: this one must be a plain property
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "logging.structured.format.console=ecs"})
class StructuredLoggingTests extends GatewayHarness {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        defaults(registry);
    }

    @Test
    void auditLineIsJsonWithNamedKeys(CapturedOutput output) {
        storeAnswers(successEnvelope(574));

        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .header("X-Request-Id", "ecs-1")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\",\"note\":\"\"}")
                .exchange()
                .expectStatus()
                .isOk();

        JsonMapper json = JsonMapper.builder().build();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> output.getOut()
                        .lines()
                        .anyMatch(line -> line.contains("fecify.audit") && line.contains("ecs-1")));
        List<JsonNode> audit = output.getOut()
                .lines()
                .filter(line -> line.startsWith("{") && line.contains("fecify.audit"))
                .map(json::readTree)
                .filter(line -> "ecs-1".equals(line.path("request_id").asString()))
                .toList();
        assertThat(audit).hasSize(1);
        JsonNode line = audit.get(0);
        assertThat(line.path("caller").asString()).isEqualTo(CLIENT);
        assertThat(line.path("customer_id").asString()).isEqualTo("574");
        assertThat(line.path("fields").asString()).isEqualTo("first_name,note");
        assertThat(line.path("outcome").asString()).isEqualTo("success");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("upstream_ms").asString()).matches("\\d+");
        assertThat(line.toString()).containsPattern("\"trace(\\.id|Id|_id)\"\\s*:\\s*\"[0-9a-f]{32}\"");
    }
}
