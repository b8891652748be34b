package com.fecify.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayTestSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

/** Errors raised outside the update flow (routing, content type, size, JSON syntax) are the same problem+json. */
class ErrorResponseTests extends GatewayTestSupport {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/nope",
                "/v1/customers",
                "/v1/customers/574/extra",
                "/v2/customers/574",
                "/error",
                "/actuator/health"
            })
    void unknownPathIsA404Problem(String path) {
        api().get()
                .uri(path)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists("X-Request-Id")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("not_found")
                .jsonPath("$.status")
                .isEqualTo(404)
                .jsonPath("$.request_id")
                .isNotEmpty();
    }

    @Test
    void wrongMethodIsA405WithAllow() {
        api().get()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .valueEquals("Allow", "PATCH")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("method_not_allowed");
        api().put()
                .uri("/api/skill/customer/update-customer")
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .valueEquals("Allow", "POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void nonJsonContentTypeIs415(String contentType) {
        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .contentType(MediaType.parseMediaType(contentType))
                .body("first_name=x")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("unsupported_media_type");
        assertThat(storeCalls()).isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"first_name\": |not valid JSON",
                "{\"first_name\":\"x\"} 42|text after the JSON object",
                "{\"first_name\":\"x\"}{\"last_name\":\"y\"}|text after the JSON object",
                "{\"first_name\":\"x\",\"first_name\":\"y\"}|a field twice",
                "[{\"first_name\":\"x\"}]|JSON object, not an array",
                "\"first_name\"|JSON object, not a string",
                "42|not a number",
                "null|not null",
                "{first_name:\"x\"}|not valid JSON",
                "{'first_name':'x'}|not valid JSON"
            })
    void malformedJsonIs400MalformedJson(String body, String says) {
        patch(574, body)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("malformed_json")
                .jsonPath("$.detail")
                .value(
                        String.class,
                        detail -> assertThat(detail)
                                .contains(says)
                                .doesNotContain("tools.jackson")
                                .doesNotContain("Exception"));
        assertThat(storeCalls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/customers/a%2Fb", "/v1/customers/%zz", "/%"})
    void urlTheServerRefusesIsStillAProblem(String rawPath) throws Exception {
        // refused by Tomcat before any filter or controller runs; sent raw, as no HTTP client would build it
        String response = raw("PATCH " + rawPath + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertThat(response)
                .startsWith("HTTP/1.1 400")
                .containsIgnoringCase("Content-Type: application/problem+json")
                .containsIgnoringCase("X-Request-Id: ")
                .contains("\"code\":\"bad_request\"")
                .doesNotContain("<html");
    }

    @Test
    void oversizedHeadersAreRefusedAsAProblem() throws Exception {
        String response = raw("GET /v1/customers/574 HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_request\"");
    }

    @Test
    void emptyBodyIs400MalformedJson() {
        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("malformed_json");
    }

    @Test
    void bodyOver64KiBIs413ByContentLength() {
        String big = "{\"note\":\"" + "x".repeat(64 * 1024) + "\"}";
        patch(574, big)
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("payload_too_large");
        assertThat(storeCalls()).isZero();
    }

    @Test
    void chunkedBodyOver64KiBIs413WhileReading() throws Exception {
        byte[] big = ("{\"note\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                .header("X-API-Key", KEY)
                .header("Content-Type", "application/json")
                // an input stream has no known length: the body goes chunked, without Content-Length
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        HttpResponse<String> response = AnswerContract.send(HttpClient.newHttpClient(), request);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"payload_too_large\"");
        assertThat(storeCalls()).isZero();
    }

    @Test
    void bodyCutShortOfItsContentLengthChangesNothing() throws Exception {
        String response;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("PATCH /v1/customers/574 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                                    + "{\"first_name\":\"yun")
                            .getBytes(StandardCharsets.US_ASCII));
            // the caller stops sending 80 bytes short of what it announced
            socket.shutdownOutput();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        // the body is read as it arrives (no thread waits for it): the container learns of the end of the stream
        // as a failed connection, and closes it; either way nothing reaches the store
        if (!response.isEmpty()) {
            assertThat(response)
                    .startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"code\":\"bad_request\"");
        }
        assertThat(storeCalls()).isZero();
    }

    @Test
    void encodedPathIsEchoedAsSentNotEncodedTwice() throws Exception {
        HttpResponse<String> answer = AnswerContract.send(
                HttpClient.newHttpClient(),
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/%2e%2e"))
                        .header("X-API-Key", KEY)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                        .build());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"instance\":\"/v1/customers/%2e%2e\"");
    }

    /** TRACE is refused with the route's own Allow and never echoes the request, which would show the caller's key. */
    @Test
    void traceIsRefusedAndEchoesNothing() throws Exception {
        String response = raw("TRACE /v1/customers/574 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 405").doesNotContain(KEY);
        assertThat(response).containsPattern("(?i)\r\nAllow: PATCH\r\n").contains("\"code\":\"method_not_allowed\"");
    }

    /** HTTP has no such transfer coding: 501 with a code of its own, not internal_error. */
    @Test
    void unknownTransferCodingIsNotImplemented() throws Exception {
        String response = raw("PATCH /v1/customers/574 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 501").contains("\"code\":\"not_implemented\"");
        assertThat(storeCalls()).isZero();
    }

    @Test
    void bodyJustUnder64KiBIsRead() {
        storeAnswers(successEnvelope(574));
        // 64 KiB of JSON: valid size, but the note is too long, which proves the body was read and validated
        String body = "{\"note\":\"" + "x".repeat(64 * 1024 - 12) + "\"}";
        assertThat(body.length()).isLessThanOrEqualTo(64 * 1024);
        patch(574, body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("note");
    }

    /** Sends bytes no HTTP client would build and reads the whole answer (the request must close the connection). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
