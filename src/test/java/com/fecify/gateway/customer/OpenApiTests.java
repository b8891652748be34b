package com.fecify.gateway.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.Caller;
import com.fecify.gateway.GatewayTestSupport;
import com.fecify.gateway.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The served OpenAPI document is the committed docs/openapi.json, and it states every field rule and error code. */
class OpenApiTests extends GatewayTestSupport {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void servedDocumentIsTheCommittedOne() throws Exception {
        String served = api().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        JsonNode servedTree = JSON.readTree(served);
        JsonNode committed = JSON.readTree(Path.of("docs/openapi.json").toFile());

        if (!servedTree.equals(committed)) {
            Path fresh = Path.of("target/openapi.json");
            Files.writeString(fresh, JSON.writeValueAsString(servedTree) + "\n");
            assertThat(servedTree)
                    .as("the served /v3/api-docs differs from docs/openapi.json; if the change is meant, copy " + fresh
                            + " over it")
                    .isEqualTo(committed);
        }
    }

    @Test
    void documentStatesEveryFieldRuleErrorCodeAndSecurityScheme() throws Exception {
        JsonNode doc = JSON.readTree(Path.of("docs/openapi.json").toFile());
        JsonNode changes = doc.at("/components/schemas/CustomerChanges/properties");
        for (String field : Caller.UPDATABLE_FIELDS) {
            assertThat(changes.has(field)).as(field).isTrue();
        }
        assertThat(changes.at("/accepts_marketing/enum").toString()).isEqualTo("[1,2]");
        assertThat(changes.at("/first_name/maxLength").asInt()).isEqualTo(100);
        assertThat(changes.at("/phone/pattern").asString()).isNotEmpty();
        String codes =
                doc.at("/components/schemas/Problem/properties/code/enum").toString();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(codes).contains("\"" + code.code() + "\"");
        }
        assertThat(doc.at("/components/securitySchemes").has("apiKey")).isTrue();
        assertThat(doc.at("/components/securitySchemes").has("bearer")).isTrue();
        assertThat(doc.at("/paths/~1v1~1customers~1{id}/patch/responses").has("422"))
                .isTrue();
    }

    @Test
    void swaggerUiIsServedOnTheApiPortWithoutCredentials() {
        api().get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }
}
