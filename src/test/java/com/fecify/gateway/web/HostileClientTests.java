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

/**
 * Slow and broken clients, as an attacker would send them, against a gateway with few request threads: none of them
 * may hold a thread, so a keyed caller's updates keep answering at once. Bounded: about 10 s in all.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileClientTests extends GatewayHarness {

    private static final int THREADS = 8;

    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService tricklers = Executors.newCachedThreadPool();
    private final AtomicBoolean trickling = new AtomicBoolean(true);

    @DynamicPropertySource
    static void fewThreads(DynamicPropertyRegistry registry) {
        defaults(registry);
        registry.add("server.tomcat.threads.max", () -> Integer.toString(THREADS));
        registry.add("server.tomcat.threads.min-spare", () -> "2");
        registry.add("gateway.limits.body-read-timeout", () -> "3s");
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

    /** A keyed body that never finishes is answered 408 once the body-read timeout has passed, and reaches no store. */
    @Test
    void bodyThatNeverArrivesIsAnswered408() throws Exception {
        Socket socket = open(8_000);
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH /v1/customers/574 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"note\":")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        String answer = readAnswer(socket.getInputStream());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
        assertThat(millis).isBetween(2_500L, 6_000L);
        assertThat(storeCalls()).isZero();
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
