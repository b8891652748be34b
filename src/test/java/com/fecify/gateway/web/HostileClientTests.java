package com.fecify.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fecify.gateway.AnswerContract;
import com.fecify.gateway.GatewayHarness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slow, broken and hostile clients, as an attacker would send them, against a gateway with few request threads and
 * its default time limits: none of them may hold a thread or memory it has not received, so a keyed caller's updates
 * keep answering at once; and a store that echoes the token, however it escapes it, never shows it to a caller.
 * Bounded: about 20 s in all.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileClientTests extends GatewayHarness {

    private static final int THREADS = 8;
    /** A token with the characters stores escape: PHP's json_encode writes every / as \\/. */
    private static final String SLASHED_TOKEN = "st0re/t0ken-9Vq2Lm7Xb4Wz";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService tricklers = Executors.newCachedThreadPool();
    private final AtomicBoolean trickling = new AtomicBoolean(true);

    @DynamicPropertySource
    static void fewThreads(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("server.tomcat.threads.max", () -> Integer.toString(THREADS));
        registry.add("server.tomcat.threads.min-spare", () -> "2");
        registry.add("fecify.access-token", () -> SLASHED_TOKEN);
        // gateway.limits.body-read-timeout and Tomcat's connection-timeout as shipped (5 s each)
    }

    @AfterEach
    void closeAll() throws Exception {
        trickling.set(false);
        tricklers.shutdownNow();
        tricklers.awaitTermination(5, TimeUnit.SECONDS);
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void slowBodiesAndHeadersHoldNoThread() throws Exception {
        storeAnswers(successEnvelope(574));
        // twice the request threads of each kind: unauthenticated bodies, keyed bodies, headers
        for (int i = 0; i < 2 * THREADS; i++) {
            trickle(
                    "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");
            trickle("PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"note\":\"");
            trickle("PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        }
        Thread.sleep(500);

        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = AnswerContract.send(
                    client,
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/574"))
                            .header("X-API-Key", KEY)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(3))
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"first_name\":\"x\"}"))
                            .build());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(millis)
                    .as("update %d while %d sockets trickle, ms", i, sockets.size())
                    .isLessThan(1_000);
            Thread.sleep(150);
        }
    }

    /**
     * A keyed body that never finishes is answered 408 once the body-read timeout has passed, and reaches no store;
     * with the shipped settings, where Tomcat's own socket timeout (5 s) races the gateway's (5 s), it is still 408.
     */
    @Test
    void bodyThatNeverArrivesIsAnswered408() throws Exception {
        Socket patch = open(8_000);
        patch.getOutputStream()
                .write(("PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"note\":")
                        .getBytes(StandardCharsets.US_ASCII));
        Socket batch = open(8_000);
        batch.getOutputStream()
                .write(("POST /v1/customers/batch HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                                + "\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"updates\":")
                        .getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        for (Socket socket : List.of(patch, batch)) {
            String answer = readAnswer(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
            assertThat(millis).isBetween(4_500L, 7_500L);
        }
        assertThat(storeCalls()).isZero();
    }

    /**
     * A store that echoes the token in JSON escapes ({@code \\/} as PHP writes it, {@code \\u002d}), or as a key:
     * none of the three routes shows it to the caller, in a value or a name, as text or once decoded.
     */
    @Test
    void tokenInTheStoresEscapesOrKeysReachesNoCaller() throws Exception {
        String slashEscaped = SLASHED_TOKEN.replace("/", "\\/");
        String unicodeEscaped = slashEscaped.replace("-", "\\u002d");
        storeAnswers("""
                {"code":200,"data":{"id":574,"first_name":"x","note":"token is %s","last_name":"%s",\
                "%s":"as a key","extra":{"list":["%s"]}},"message":"success"}""".formatted(slashEscaped, unicodeEscaped, SLASHED_TOKEN, slashEscaped));

        String patched = patch(574, "{\"first_name\":\"x\"}")
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        String droppedIn = dropIn("{\"id\":574,\"first_name\":\"x\"}")
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        HttpResponse<String> batch = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/customers/batch"))
                                .header("X-API-Key", UNLIMITED_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"updates\":[{\"id\":574,\"first_name\":\"x\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(batch.statusCode()).isEqualTo(200);

        for (String answer : List.of(patched, droppedIn, batch.body())) {
            assertThat(answer).doesNotContain(SLASHED_TOKEN, slashEscaped, unicodeEscaped);
            for (String line : answer.strip().split("\n")) {
                assertThat(namesAndValues(JSON.readTree(line)))
                        .as(line)
                        .noneMatch(text -> text.contains(SLASHED_TOKEN));
            }
        }
        // the rest of the customer is as the store sent it
        JsonNode customer = JSON.readTree(patched);
        assertThat(customer.path("note").asString()).isEqualTo("token is [REDACTED]");
        assertThat(customer.path("first_name").asString()).isEqualTo("x");
        assertThat(JSON.readTree(droppedIn).path("data").path("last_name").asString())
                .isEqualTo("[REDACTED]");
    }

    /**
     * Batch heads announcing a megabyte and sending 12 bytes, many more than a caller may have batches: the gateway
     * takes the caller's first four (reading what arrives, a chunk each) and refuses the rest at once with 429 and
     * {@code Connection: close}; another caller's update is answered as usual; once the caller's bodies go away, its
     * places are free again.
     */
    @Test
    void batchHeadsThatNeverSendTheirBodiesAreCappedPerCaller() throws Exception {
        storeAnswers(successEnvelope(574));
        List<Socket> heads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // a refusal comes at once; a place held answers nothing (for up to the body-read timeout)
            Socket socket = open(300);
            socket.getOutputStream()
                    .write(("POST /v1/customers/batch HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n"
                                    + "{\"updates\":[")
                            .getBytes(StandardCharsets.US_ASCII));
            heads.add(socket);
        }
        int refused = 0;
        int held = 0;
        for (Socket socket : heads) {
            String answer = readAnswer(socket.getInputStream());
            if (answer.isEmpty()) {
                held++;
            } else {
                assertThat(answer)
                        .startsWith("HTTP/1.1 429")
                        .containsIgnoringCase("\r\nConnection: close\r\n")
                        .contains("\"code\":\"rate_limited\"", "has 4 batches running");
                refused++;
            }
        }
        assertThat(held).isEqualTo(4);
        assertThat(refused).isEqualTo(8);

        long start = System.nanoTime();
        api().patch()
                .uri("/v1/customers/574")
                .header("X-API-Key", UNLIMITED_KEY)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body("{\"first_name\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);

        for (Socket socket : heads) {
            socket.close();
        }
        // the bodies went away: the caller's places are given back
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://localhost:" + port + "/v1/customers/batch"))
                                                .header("X-API-Key", KEY)
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(
                                                        "{\"updates\":[{\"id\":574,\"first_name\":\"x\"}]}"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200));
    }

    /**
     * {@code Expect: 100-continue} is answered once the gateway reads the body: an unknown caller or an oversized body
     * gets its refusal and no invitation to send; a known caller gets {@code 100 Continue}, then its answer.
     */
    @Test
    void expectContinueIsAnsweredOnlyAfterTheCallerAndSizeAreChecked() throws Exception {
        storeAnswers(successEnvelope(574));
        String head = "PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/json\r\n";

        Socket unknown = open(3_000);
        unknown.getOutputStream()
                .write((head + "X-API-Key: not-a-key\r\nContent-Length: 20\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(readAnswer(unknown.getInputStream()))
                .startsWith("HTTP/1.1 401")
                .doesNotContain("100 Continue");

        Socket oversized = open(3_000);
        oversized
                .getOutputStream()
                .write((head + "X-API-Key: " + KEY + "\r\nContent-Length: 70000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(readAnswer(oversized.getInputStream()))
                .startsWith("HTTP/1.1 413")
                .doesNotContain("100 Continue");

        String body = "{\"first_name\":\"x\"}";
        Socket known = open(3_000);
        OutputStream out = known.getOutputStream();
        out.write((head + "X-API-Key: " + KEY + "\r\nContent-Length: " + body.length() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] interim = new byte[25];
        int n = known.getInputStream().read(interim);
        assertThat(new String(interim, 0, Math.max(n, 0), StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 100");
        out.write(body.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readAnswer(known.getInputStream())).contains("HTTP/1.1 200");
    }

    /** A refused request's unread body is not read at the caller's pace: the connection is closed after the answer. */
    @Test
    void refusedRequestWithAnUnreadBodyIsClosedAtOnce() throws Exception {
        Socket socket = open(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(
                "POST /v1/customers/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        String answer = readAnswer(socket.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("\r\nConnection: close\r\n");
        // the connection ends without the other 99,999 bytes
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    /** A burst of broken requests gets refusals, and the next update is answered as usual. */
    @Test
    void burstOfMalformedRequestsIsRefusedAndLeavesNoDamage() throws Exception {
        storeAnswers(successEnvelope(574));
        List<String> garbage = List.of(
                "GARBAGE\r\n\r\n",
                "PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
                "PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{{{{{",
                "PATCH /v1/customers/%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n",
                "CONNECT localhost:80 HTTP/1.1\r\nHost: x\r\n\r\n");
        for (int round = 0; round < 20; round++) {
            for (String request : garbage) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(3_000);
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    String answer = readAnswer(socket.getInputStream());
                    // a refusal (501 for what HTTP has no such thing as: an unknown transfer coding, CONNECT), or a
                    // closed connection
                    assertThat(answer).as(request).matches("(?s)HTTP/1\\.1 (4\\d\\d|501) .*|");
                    assertThat(answer).doesNotContain("Exception").doesNotContain(fecify.baseUrl());
                }
            }
        }
        assertThat(storeCalls()).isZero();
        patch(574, "{\"first_name\":\"x\"}").expectStatus().isOk();
    }

    /** A header line that breaks HTTP, holding a caller key: refused, and the key reaches no log. */
    @Test
    void unparsableHeaderLineKeepsItsKeyOutOfTheLog(CapturedOutput output) throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(3_000);
                socket.getOutputStream()
                        .write(("PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-API-Key : " + KEY
                                        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                                .getBytes(StandardCharsets.US_ASCII));
                assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 400");
            }
        }
        assertThat(output.getAll()).doesNotContain(KEY);
    }

    /**
     * A caller that gives up while the store works and closes its connection cleanly (a client timeout) is audited
     * {@code client_closed} with 499, as nginx logs it, not {@code success}; one that waits gets its answer.
     */
    @Test
    void callerThatClosesCleanlyWhileTheStoreWorksIsAudited499(CapturedOutput output) throws Exception {
        fecify.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(STORE_PATH)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(successEnvelope(574))
                        .withFixedDelay(400)));
        String body = "{\"first_name\":\"x\"}";
        String head = "PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nX-Request-Id: ";
        try (Socket leaving = new Socket("127.0.0.1", port)) {
            leaving.getOutputStream()
                    .write((head + "leaves-cleanly\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300);
        }
        Socket waiting = open(5_000);
        waiting.getOutputStream().write((head + "waits\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        assertThat(readAnswer(waiting.getInputStream())).startsWith("HTTP/1.1 200");

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(output.getOut())
                        .contains("request_id=leaves-cleanly caller=billing customer_id=574 fields=first_name"
                                + " outcome=client_closed status=499")
                        .contains("request_id=waits caller=billing customer_id=574 fields=first_name outcome=success"));
    }

    /** Every name and string value in {@code node}, as decoded. */
    private static List<String> namesAndValues(JsonNode node) {
        List<String> found = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(property -> {
                found.add(property.getKey());
                found.addAll(namesAndValues(property.getValue()));
            });
        } else if (node.isArray()) {
            node.values().forEach(value -> found.addAll(namesAndValues(value)));
        } else {
            found.add(node.asString());
        }
        return found;
    }

    /** A raw connection, closed after the test; {@code timeoutMillis} 0 reads without a limit. */
    private Socket open(int timeoutMillis) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        socket.setSoTimeout(timeoutMillis);
        return socket;
    }

    private void trickle(String head) throws IOException {
        Socket socket = open(0);
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        tricklers.submit(() -> {
            try {
                while (trickling.get()) {
                    Thread.sleep(400);
                    out.write('a');
                    out.flush();
                }
            } catch (Exception closed) {
                // the gateway closed it, or the test is over
            }
        });
    }

    /** The status line, headers and as much of the body as arrives before the connection idles or closes. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().endsWith("}")) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException | java.net.SocketException ended) {
            // what arrived is the answer
        }
        return answer.toString();
    }
}
