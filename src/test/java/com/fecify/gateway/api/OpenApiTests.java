package com.fecify.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.GatewayTestSupport;
import com.fecify.gateway.error.ErrorCode;
import com.fecify.gateway.fields.CodePoints;
import com.fecify.gateway.fields.CustomerChanges;
import com.fecify.gateway.fields.UpdateFields;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
            throw new AssertionError("the served /v3/api-docs differs from docs/openapi.json; if the change is meant,"
                    + " copy " + fresh + " over it (diff the two to see what changed)");
        }
    }

    @Autowired
    Validator validator;

    /** Each documented rule is the one the reader enforces: read from the same constraints, compared one by one. */
    @Test
    void documentStatesExactlyTheEnforcedFieldRules() throws Exception {
        JsonNode doc = JSON.readTree(Path.of("docs/openapi.json").toFile());
        JsonNode changes = doc.at("/components/schemas/CustomerChanges/properties");
        List<String> expected = new ArrayList<>(List.of("id"));
        expected.addAll(UpdateFields.names());
        assertThat(changes.propertyNames()).containsExactlyInAnyOrderElementsOf(expected);
        BeanDescriptor rules = validator.getConstraintsForClass(CustomerChanges.class);
        int checked = 0;
        for (UpdateFields.Field field : UpdateFields.ALL) {
            JsonNode documented = changes.get(field.jsonName());
            if (field.kind() == UpdateFields.Kind.INTEGER_OR_EMPTY) {
                assertThat(documented.at("/oneOf/1/enum").toString()).isEqualTo("[\"\"]");
                documented = documented.at("/oneOf/0");
            }
            assertThat(documented.get("type").asString())
                    .as(field.jsonName())
                    .isEqualTo(field.kind() == UpdateFields.Kind.STRING ? "string" : "integer");
            for (ConstraintDescriptor<?> constraint :
                    rules.getConstraintsForProperty(field.component()).getConstraintDescriptors()) {
                Annotation rule = constraint.getAnnotation();
                if (rule instanceof Pattern pattern) {
                    assertThat(documented.get("pattern").asString()).isEqualTo("^" + pattern.regexp() + "$");
                } else if (rule instanceof CodePoints length) {
                    assertThat(documented.get("maxLength").asInt()).isEqualTo(length.max());
                } else if (rule instanceof Min min) {
                    assertThat(documented.get("minimum").asLong()).isEqualTo(min.value());
                } else if (rule instanceof Max max) {
                    assertThat(documented.get("maximum").asLong()).isEqualTo(max.value());
                } else {
                    continue;
                }
                checked++;
            }
        }
        // the SPEC's rules: two name lengths and two one-line names, the note's length, phone, prefix, two 1-or-2
        // fields (min and max), two >= 0
        assertThat(checked).isEqualTo(13);
    }

    @Test
    void documentStatesEveryErrorCodeAndSecurityScheme() throws Exception {
        JsonNode doc = JSON.readTree(Path.of("docs/openapi.json").toFile());
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

    /** What generated clients and answer validators rely on: nullable values typed so, every answer's headers. */
    @Test
    void documentDeclaresNullsAndHeadersAsAnswersCarryThem() throws Exception {
        JsonNode doc = JSON.readTree(Path.of("docs/openapi.json").toFile());
        assertThat(doc.get("openapi").asString())
                .as("3.0.3: what openapi-generator and swagger-request-validator read in full")
                .isEqualTo("3.0.3");
        assertThat(doc.at("/components/schemas/Violation/properties/field/nullable")
                        .asBoolean())
                .isTrue();
        assertThat(doc.at("/components/schemas/Envelope/properties/data/nullable")
                        .asBoolean())
                .isTrue();
        assertThat(doc.at("/servers/0/url").asString())
                .as("a relative server URL makes generated clients default to http://localhost")
                .isEqualTo("{scheme}://{host}");
        assertThat(doc.at("/servers/0/variables/host/default").asString()).isEqualTo("localhost:8080");
        for (String path :
                List.of("/v1/customers/{id}", "/v1/customers/batch", "/api/skill/customer/update-customer")) {
            JsonNode operation = doc.get("paths").get(path);
            JsonNode responses = operation.has("patch")
                    ? operation.get("patch").get("responses")
                    : operation.get("post").get("responses");
            assertThat(responses.has("405"))
                    .as(path + " cannot answer 405 itself")
                    .isFalse();
            for (String status : responses.propertyNames()) {
                assertThat(responses.get(status).at("/headers/X-Request-Id").isMissingNode())
                        .as(path + " " + status + " declares X-Request-Id")
                        .isFalse();
            }
            assertThat(responses.at("/401/headers/WWW-Authenticate").isMissingNode())
                    .isFalse();
            assertThat(responses.at("/429/headers/Retry-After").isMissingNode()).isFalse();
            if (!path.endsWith("/batch")) {
                assertThat(responses.at("/503/headers/Retry-After").isMissingNode())
                        .isFalse();
            }
        }
        assertThat(doc.at("/paths/~1v1~1customers~1batch/post/responses").propertyNames())
                .as("a batch answers the store's outcomes in its lines, never as its status")
                .containsExactlyInAnyOrder("200", "400", "401", "403", "408", "413", "415", "429", "500");
        assertThat(doc.at("/components/schemas").has("UpdateCustomerRequest"))
                .as("a schema named like operation updateCustomer's request breaks the TypeScript client")
                .isFalse();
    }

    /** A caller's X-Forwarded-Host is not trusted: nothing builds a URL from it (Swagger UI's configuration did). */
    @Test
    void forwardedHostFromACallerIsNotEchoed() {
        String config = api().get()
                .uri("/v3/api-docs/swagger-config")
                .header("X-Forwarded-Host", "evil.example")
                .header("Forwarded", "host=evil2.example")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        assertThat(config).doesNotContain("evil.example").doesNotContain("evil2.example");
    }

    @Test
    void swaggerUiIsServedOnTheApiPortWithoutCredentials() {
        api().get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }
}
