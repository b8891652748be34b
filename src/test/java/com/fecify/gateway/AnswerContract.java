package com.fecify.gateway;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Every answer the tests receive on a documented operation is checked against the committed {@code docs/openapi.json}
 * with Atlassian's swagger-request-validator, the way a generated client or a contract test of a user would read it:
 * the status must be documented for the operation, the media type declared, the body valid against its schema (NDJSON
 * batch answers line by line against {@code BatchLine}). A mismatch fails the test that received the answer.
 *
 * <p>Only answers are checked: the tests send invalid requests on purpose. Requests to paths or methods the document
 * does not describe (Actuator, an unknown path, GET on an update route) have no contract to check and pass through.
 */
public final class AnswerContract {

    private static final String DOCUMENT = read(Path.of("docs/openapi.json"));
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_MAPPER =
            io.swagger.v3.core.util.Json.mapper();
    private static final OpenAPI API =
            new OpenAPIV3Parser().readContents(DOCUMENT).getOpenAPI();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createFor(DOCUMENT)
            .withBasePathOverride("/")
            .withLevelResolver(LevelResolver.create()
                    // no contract for what the document does not describe
                    .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE)
                    .build())
            .build();
    private static final SchemaValidator SCHEMAS = new SchemaValidator(API, new MessageResolver());
    /** A batch line's schema, where the document puts it: the NDJSON media type's {@code x-oai-itemSchema}. */
    private static final Schema<?> BATCH_LINE = JSON_MAPPER.convertValue(
            API.getPaths()
                    .get("/v1/customers/batch")
                    .getPost()
                    .getResponses()
                    .get("200")
                    .getContent()
                    .get("application/x-ndjson")
                    .getExtensions()
                    .get("x-oai-itemSchema"),
            Schema.class);

    private static final AtomicInteger CHECKED = new AtomicInteger();

    private AnswerContract() {}

    /** How many answers on documented operations were checked so far in this JVM. */
    public static int checked() {
        return CHECKED.get();
    }

    /** For RestTestClient and RestClient: checks each answer, then hands it on, its body still readable. */
    public static ClientHttpRequestInterceptor interceptor() {
        return (request, body, execution) -> {
            ClientHttpResponse response = execution.execute(request, body);
            byte[] bytes;
            try (InputStream in = response.getBody()) {
                bytes = in.readAllBytes();
            }
            check(
                    request.getMethod().name(),
                    request.getURI(),
                    response.getStatusCode().value(),
                    headers(response.getHeaders()),
                    new String(bytes, StandardCharsets.UTF_8));
            return new Buffered(response, bytes);
        };
    }

    /** For java.net.http: sends, checks the answer, returns it. */
    public static HttpResponse<String> send(HttpClient client, HttpRequest request)
            throws IOException, InterruptedException {
        return checked(client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** For java.net.http answers received some other way ({@code sendAsync}): checks it, returns it. */
    public static HttpResponse<String> checked(HttpResponse<String> response) {
        HttpRequest request = response.request();
        check(
                request.method(),
                request.uri(),
                response.statusCode(),
                response.headers().map(),
                response.body());
        return response;
    }

    /** Fails with every way the answer departs from the document. */
    public static void check(String method, URI uri, int status, Map<String, List<String>> headers, String body) {
        List<String> problems = problems(method, uri.getRawPath(), status, headers, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("The answer to " + method + " " + uri.getRawPath() + " (" + status
                    + ") breaks docs/openapi.json:\n  " + String.join("\n  ", problems) + "\nbody: " + body);
        }
    }

    /** Every way the answer departs from the document; empty when it keeps it or the document does not cover it. */
    public static List<String> problems(
            String method, String path, int status, Map<String, List<String>> headers, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> response.withHeader(name, values));
        String contentType = headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE))
                .flatMap(header -> header.getValue().stream())
                .findFirst()
                .orElse("");
        boolean lines = contentType.startsWith("application/x-ndjson");
        if (!body.isEmpty() && !lines) {
            response.withBody(body);
        }
        ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
        List<String> problems = new ArrayList<>();
        report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                // NDJSON is not one JSON document: its lines are checked below
                .filter(message -> !(lines && message.getKey().equals("validation.response.body.missing")))
                .forEach(message -> problems.add(message.getKey() + ": " + message.getMessage()));
        if (lines && status == 200) {
            body.lines()
                    .filter(line -> !line.isBlank())
                    .forEach(line -> SCHEMAS.validate(line, BATCH_LINE, "batchLine")
                            .getMessages()
                            .forEach(message -> problems.add("line " + line + ": " + message.getMessage())));
        }
        if (documented(path, method)) {
            CHECKED.incrementAndGet();
        }
        return problems;
    }

    private static boolean documented(String path, String method) {
        return API.getPaths().entrySet().stream()
                .anyMatch(entry -> path.matches(entry.getKey().replaceAll("\\{[^}]+}", "[^/]+"))
                        && entry.getValue().readOperationsMap().keySet().stream()
                                .anyMatch(verb -> verb.name().equalsIgnoreCase(method)));
    }

    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        headers.forEach(map::put);
        return map;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer with its body read once, to be read again by the test. */
    private record Buffered(ClientHttpResponse response, byte[] body) implements ClientHttpResponse {

        @Override
        public HttpStatusCode getStatusCode() throws IOException {
            return response.getStatusCode();
        }

        @Override
        public String getStatusText() throws IOException {
            return response.getStatusText();
        }

        @Override
        public HttpHeaders getHeaders() {
            return response.getHeaders();
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
